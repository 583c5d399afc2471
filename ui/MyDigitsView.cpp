// My digits as thumbnails with labels: select, relabel, delete. See MyDigitsView.h.

#include "MyDigitsView.h"

#include "MyDigitsStore.h"
#include "data/DigitPreprocess.h"

#include <QAbstractListModel>
#include <QDir>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QPixmap>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace dl {

namespace {
constexpr int kThumb = 56;  // 28x28 doubled, nearest neighbour
}

// The store's digits as list items: the thumbnail and the label.
class MyDigitsModel : public QAbstractListModel {
 public:
  explicit MyDigitsModel(QObject* parent) : QAbstractListModel(parent) {}

  void setStore(MyDigitsStore* store) {
    beginResetModel();
    m_store = store;
    m_thumbs.clear();
    endResetModel();
  }
  void refresh() {
    beginResetModel();
    m_thumbs.clear();
    endResetModel();
  }

  int rowCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() || !m_store ? 0 : m_store->count();
  }

  QVariant data(const QModelIndex& index, int role) const override {
    if (!m_store || !index.isValid() || index.row() >= m_store->count()) return {};
    const int row = index.row();
    switch (role) {
      case Qt::DisplayRole:
        return QString::number(m_store->digits().labels[size_t(row)]);
      case Qt::DecorationRole:
        return thumbnail(row);
      case Qt::ToolTipRole:
        return MyDigitsView::tr("My digit #%1, labelled %2").arg(row + 1).arg(m_store->digits().labels[size_t(row)]);
      case Qt::TextAlignmentRole:
        return int(Qt::AlignHCenter | Qt::AlignTop);
      default:
        return {};
    }
  }

 private:
  QPixmap thumbnail(int row) const {
    if (m_thumbs.size() != size_t(m_store->count())) m_thumbs.assign(size_t(m_store->count()), QPixmap());
    QPixmap& p = m_thumbs[size_t(row)];
    if (p.isNull()) {
      const Dataset& d = m_store->digits();
      p = QPixmap::fromImage(digitImage(d.image(row), d.rows, d.cols).scaled(kThumb, kThumb));
    }
    return p;
  }

  MyDigitsStore* m_store = nullptr;
  mutable std::vector<QPixmap> m_thumbs;
};

MyDigitsView::MyDigitsView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("myDigitsView"));
  m_header = new QLabel(this);
  m_header->setObjectName(QStringLiteral("myDigitsHeader"));
  m_header->setWordWrap(true);
  m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_model = new MyDigitsModel(this);
  m_list = new QListView(this);
  m_list->setObjectName(QStringLiteral("myDigitsList"));
  m_list->setModel(m_model);
  m_list->setViewMode(QListView::IconMode);
  m_list->setMovement(QListView::Static);
  m_list->setResizeMode(QListView::Adjust);
  m_list->setUniformItemSizes(true);
  m_list->setIconSize(QSize(kThumb, kThumb));
  m_list->setGridSize(QSize(kThumb + 16, kThumb + m_list->fontMetrics().height() + 12));
  m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_list->setContextMenuPolicy(Qt::CustomContextMenu);
  m_list->installEventFilter(this);
  m_delete = new QPushButton(tr("Delete"), this);
  m_delete->setObjectName(QStringLiteral("deleteMyDigitsButton"));
  m_delete->setToolTip(tr("Remove the selected digits (Delete)"));
  m_moveAside = new QPushButton(tr("Move aside"), this);
  m_moveAside->setObjectName(QStringLiteral("moveMyDigitsAsideButton"));
  m_moveAside->setToolTip(tr("Rename the damaged files to .corrupt and start an empty set"));
  m_undo = new QPushButton(tr("Undo"), this);
  m_undo->setObjectName(QStringLiteral("undoMyDigitsButton"));
  m_undo->setToolTip(tr("Undo the last change to my digits (Ctrl+Z)"));
  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("myDigitsViewMessage"));
  m_message->setWordWrap(true);
  m_message->hide();
  auto* hint =
      new QLabel(tr("Select digits, then type 0–9 to relabel them or press Delete; right-click for a menu."), this);
  hint->setWordWrap(true);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(hint, 1);
  buttons->addWidget(m_moveAside);
  buttons->addWidget(m_undo);
  buttons->addWidget(m_delete);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_header);
  layout->addLayout(buttons);
  layout->addWidget(m_message);
  layout->addWidget(m_list, 1);

  connect(m_delete, &QPushButton::clicked, this, &MyDigitsView::deleteSelected);
  connect(m_undo, &QPushButton::clicked, this, &MyDigitsView::undo);
  connect(m_moveAside, &QPushButton::clicked, this, [this] {
    if (!m_store) return;
    QString error;
    const QString said = m_store->moveCorruptAside(&error);
    showMessage(error.isEmpty() ? said : error, !error.isEmpty());
  });
  connect(m_list, &QListView::customContextMenuRequested, this, &MyDigitsView::showContextMenu);
  connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this] { m_delete->setEnabled(!selectedIndices().empty()); });
  onStoreChanged();
}

void MyDigitsView::setStore(MyDigitsStore* store) {
  if (m_store) disconnect(m_store, nullptr, this, nullptr);
  m_store = store;
  m_model->setStore(store);
  if (m_store) connect(m_store, &MyDigitsStore::changed, this, &MyDigitsView::onStoreChanged);
  onStoreChanged();
}

std::vector<int> MyDigitsView::selectedIndices() const {
  std::vector<int> rows;
  for (const QModelIndex& i : m_list->selectionModel()->selectedIndexes()) rows.push_back(i.row());
  std::sort(rows.begin(), rows.end());
  return rows;
}

QString MyDigitsView::message() const { return m_message->text(); }

bool MyDigitsView::relabelSelected(int label) {
  const std::vector<int> rows = selectedIndices();
  if (!m_store || rows.empty()) return false;
  QString error;
  if (!m_store->relabel(rows, label, &error)) {
    showMessage(tr("Could not relabel: %1").arg(error), true);
    return false;
  }
  select(rows);
  showMessage(rows.size() == 1 ? tr("Relabelled 1 digit as %1.").arg(label)
                               : tr("Relabelled %1 digits as %2.").arg(rows.size()).arg(label),
              false);
  return true;
}

bool MyDigitsView::deleteSelected() {
  const std::vector<int> rows = selectedIndices();
  if (!m_store || rows.empty()) return false;
  QString error;
  if (!m_store->remove(rows, &error)) {
    showMessage(tr("Could not delete: %1").arg(error), true);
    return false;
  }
  // The digit that took the first deleted one's place is selected next, for quick deleting.
  if (m_store->count() > 0) select({std::min(rows.front(), m_store->count() - 1)});
  showMessage(rows.size() == 1 ? tr("Deleted 1 digit.") : tr("Deleted %1 digits.").arg(rows.size()), false);
  return true;
}

bool MyDigitsView::undo() {
  if (!m_store || !m_store->canUndo()) return false;
  const QString what = m_store->undoText();
  QString error;
  if (!m_store->undo(&error)) {
    showMessage(tr("Could not undo: %1").arg(error), true);
    return false;
  }
  showMessage(tr("Done: %1.").arg(what), false);
  return true;
}

bool MyDigitsView::eventFilter(QObject* watched, QEvent* event) {
  // Ctrl+Z in the list undoes my digits' last change, not the window's Edit > Undo (the model's).
  if (watched == m_list && event->type() == QEvent::ShortcutOverride &&
      static_cast<QKeyEvent*>(event)->matches(QKeySequence::Undo)) {
    event->accept();
    return true;
  }
  if (watched == m_list && event->type() == QEvent::KeyPress) {
    auto* key = static_cast<QKeyEvent*>(event);
    if (key->matches(QKeySequence::Undo)) {
      undo();
      return true;
    }
    const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
    if (plain && key->key() >= Qt::Key_0 && key->key() <= Qt::Key_9) {
      relabelSelected(key->key() - Qt::Key_0);
      return true;
    }
    if (plain && (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace)) {
      deleteSelected();
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void MyDigitsView::showContextMenu(const QPoint& pos) {
  const QModelIndex at = m_list->indexAt(pos);
  if (at.isValid() && !m_list->selectionModel()->isSelected(at))
    m_list->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect);
  if (selectedIndices().empty()) return;
  QMenu menu(this);
  menu.setObjectName(QStringLiteral("myDigitsMenu"));
  QMenu* relabel = menu.addMenu(tr("Relabel as"));
  relabel->setObjectName(QStringLiteral("myDigitsRelabelMenu"));
  for (int digit = 0; digit < 10; ++digit)
    relabel->addAction(QString::number(digit), this, [this, digit] { relabelSelected(digit); });
  menu.addAction(tr("Delete"), this, &MyDigitsView::deleteSelected);
  menu.exec(m_list->viewport()->mapToGlobal(pos));
}

void MyDigitsView::select(const std::vector<int>& rows) {
  QItemSelection selection;
  for (int r : rows)
    if (r >= 0 && r < m_model->rowCount()) selection.select(m_model->index(r), m_model->index(r));
  m_list->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
  if (!rows.empty() && rows.front() < m_model->rowCount())
    m_list->selectionModel()->setCurrentIndex(m_model->index(rows.front()), QItemSelectionModel::NoUpdate);
}

void MyDigitsView::onStoreChanged() {
  m_model->refresh();
  const bool broken = m_store && m_store->isBroken();
  m_moveAside->setVisible(broken);
  m_delete->setEnabled(false);
  m_undo->setEnabled(m_store && m_store->canUndo());
  m_undo->setText(m_store && m_store->canUndo() ? m_store->undoText() : tr("Undo"));
  if (!m_store) {
    m_header->setText(tr("My digits are not available."));
  } else if (broken) {
    m_header->setText(tr("My digits cannot be read: %1").arg(m_store->error()));
  } else {
    const QString where = QDir::toNativeSeparators(m_store->folder());
    m_header->setText(m_store->isEmpty()
                          ? tr("No digits of your own yet: draw one in the drawing panel, type its label "
                               "and press Add to my digits. They are kept in %1.")
                                .arg(where)
                          : (m_store->count() == 1
                                 ? tr("1 of my digits, kept in %1.").arg(where)
                                 : tr("%1 of my digits, kept in %2.").arg(m_store->count()).arg(where)));
  }
}

void MyDigitsView::showMessage(const QString& text, bool error) {
  m_message->setText(text);
  m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
  m_message->setVisible(!text.isEmpty());
}

}  // namespace dl
