// "Add to my digits" under the drawing canvas. See MyDigitsBar.h.

#include "MyDigitsBar.h"

#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "MyDigitsStore.h"

#include <QAction>
#include <QEvent>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QToolButton>

namespace dl {

MyDigitsBar::MyDigitsBar(DigitPanel* panel) : QWidget(panel), m_panel(panel) {
  m_label = new QLineEdit(this);
  m_label->setObjectName(QStringLiteral("myDigitLabel"));
  m_label->setMaxLength(1);
  m_label->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]")), m_label));
  m_label->setAlignment(Qt::AlignCenter);
  m_label->setFixedWidth(m_label->fontMetrics().horizontalAdvance(QStringLiteral("00")) + 16);
  m_label->setToolTip(tr("The digit you drew (0–9). Filled with the network's guess until you type one."));
  m_add = new QPushButton(tr("Add to my digits"), this);
  m_add->setObjectName(QStringLiteral("addToMyDigitsButton"));
  m_add->setToolTip(tr("Keep this drawing with its label in your own digits (Enter)"));
  m_moveAside = new QPushButton(tr("Move aside"), this);
  m_moveAside->setObjectName(QStringLiteral("moveMyDigitsAsideButton"));
  m_moveAside->setToolTip(tr("Rename the damaged files to .corrupt and start an empty set"));
  m_moveAside->hide();
  m_count = new QLabel(this);
  m_count->setObjectName(QStringLiteral("myDigitsCount"));
  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("myDigitsMessage"));
  m_message->setWordWrap(true);
  m_message->hide();

  auto* layout = new QGridLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Label:"), this), 0, 0);
  layout->addWidget(m_label, 0, 1);
  layout->addWidget(m_add, 0, 2);
  layout->setColumnStretch(2, 1);
  m_fineTune = new QToolButton(this);
  m_fineTune->setObjectName(QStringLiteral("fineTuneButton"));
  m_fineTune->hide();
  // One row each, so that the column stays as narrow as the label row.
  layout->addWidget(m_count, 1, 0, 1, 3);
  layout->addWidget(m_moveAside, 2, 0, 1, 3, Qt::AlignRight);
  layout->addWidget(m_fineTune, 3, 0, 1, 3, Qt::AlignRight);
  layout->addWidget(m_message, 4, 0, 1, 3);

  connect(m_add, &QPushButton::clicked, this, &MyDigitsBar::addCurrentDigit);
  connect(m_label, &QLineEdit::returnPressed, this, &MyDigitsBar::addCurrentDigit);
  connect(m_label, &QLineEdit::textEdited, this, [this] { m_typed = !m_label->text().isEmpty(); });
  connect(m_panel, &DigitPanel::predictionChanged, this, [this](int digit) { onPrediction(digit); });
  connect(m_moveAside, &QPushButton::clicked, this, [this] {
    if (!m_store) return;
    QString error;
    const QString said = m_store->moveCorruptAside(&error);
    showMessage(error.isEmpty() ? said : error, !error.isEmpty());
  });
  m_panel->canvas()->installEventFilter(this);
  updateState();
}

void MyDigitsBar::setStore(MyDigitsStore* store) {
  if (m_store) disconnect(m_store, nullptr, this, nullptr);
  m_store = store;
  if (m_store) connect(m_store, &MyDigitsStore::changed, this, &MyDigitsBar::updateState);
  updateState();
}

void MyDigitsBar::setFineTuneAction(QAction* action) {
  m_fineTune->setDefaultAction(action);
  const auto follow = [this, action] { m_fineTune->setVisible(action->isEnabled()); };
  connect(action, &QAction::changed, this, follow);
  follow();
}

int MyDigitsBar::label() const { return m_label->text().isEmpty() ? -1 : m_label->text().toInt(); }

QString MyDigitsBar::message() const { return m_message->isVisible() ? m_message->text() : QString(); }

void MyDigitsBar::onPrediction(int digit) {
  // The network's guess fills the field until the person types; the names must be digits.
  if (m_typed) return;
  const QStringList names = m_panel->classNames();
  const bool digits = digit >= 0 && digit < 10 && digit < names.size() && names[digit] == QString::number(digit);
  m_label->setText(digits ? QString::number(digit) : QString());
}

bool MyDigitsBar::addCurrentDigit() {
  if (!m_store) return false;
  if (m_store->isBroken()) {
    showMessage(m_store->error(), true);
    return false;
  }
  const DigitInput& input = m_panel->currentDigit();
  if (input.empty) {
    showMessage(tr("Draw a digit first."), true);
    return false;
  }
  const int digit = label();
  if (digit < 0) {
    showMessage(tr("Type the digit's label (0–9) first."), true);
    m_label->setFocus();
    return false;
  }
  QString error;
  if (!m_store->add(input.pixels.data(), digit, &error)) {
    showMessage(tr("Could not add: %1").arg(error), true);
    return false;
  }
  showMessage(tr("Added a %1.").arg(digit), false);
  m_typed = false;
  m_label->clear();
  m_panel->canvas()->clear();
  m_panel->canvas()->setFocus();
  return true;
}

bool MyDigitsBar::eventFilter(QObject* watched, QEvent* event) {
  if (watched == m_panel->canvas() && event->type() == QEvent::KeyPress && m_store) {
    auto* key = static_cast<QKeyEvent*>(event);
    const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
    if (plain && key->key() >= Qt::Key_0 && key->key() <= Qt::Key_9) {
      m_label->setText(QString::number(key->key() - Qt::Key_0));
      m_typed = true;
      return true;
    }
    if (plain && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
      addCurrentDigit();
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void MyDigitsBar::updateState() {
  const bool broken = m_store && m_store->isBroken();
  setEnabled(m_store != nullptr);
  m_add->setEnabled(m_store && !broken);
  m_label->setEnabled(m_store && !broken);
  m_moveAside->setVisible(broken);
  if (!m_store) {
    m_count->setText(tr("My digits are not available."));
  } else if (broken) {
    m_count->setText(tr("My digits cannot be read: %1").arg(m_store->error()));
    m_count->setWordWrap(true);
  } else {
    m_count->setWordWrap(false);
    m_count->setText(m_store->count() == 1 ? tr("1 of my digits") : tr("%1 of my digits").arg(m_store->count()));
  }
}

void MyDigitsBar::showMessage(const QString& text, bool error) {
  m_message->setText(text);
  m_message->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
  m_message->setVisible(!text.isEmpty());
}

}  // namespace dl
