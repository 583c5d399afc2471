// The drawing panel's "Show why" row. See SaliencyBar.h.

#include "SaliencyBar.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QStandardItemModel>

namespace dl {

namespace {
// Method combo entries: data is the SaliencyMethod as int, -1 for none.
constexpr int kNone = -1;
}  // namespace

SaliencyBar::SaliencyBar(QWidget* parent) : QWidget(parent) {
  m_method = new QComboBox(this);
  m_method->setObjectName(QStringLiteral("saliencyMethod"));
  m_method->addItem(tr("Off"), kNone);
  m_method->addItem(tr("Gradient × input"), int(SaliencyMethod::GradientXInput));
  m_method->addItem(tr("Occlusion"), int(SaliencyMethod::Occlusion));
  m_method->addItem(tr("Grad-CAM"), int(SaliencyMethod::GradCam));
  m_method->setItemData(
      1, tr("How much each pixel, times the gradient of the class's score, pushes the class up (red) or down (blue)"),
      Qt::ToolTipRole);
  m_method->setItemData(2,
                        tr("How much the class's probability drops when a 4×4 patch around each pixel is blanked: red "
                           "where the ink matters for it, blue where blanking helps it"),
                        Qt::ToolTipRole);
  m_method->setItemData(3, tr("Where the last convolution layer looks for the class (Grad-CAM): CNNs only"),
                        Qt::ToolTipRole);
  m_method->setToolTip(tr("Lay over the drawing the pixels that make the network answer what it does"));
  m_method->setAccessibleName(tr("Show why"));
  m_class = new QComboBox(this);
  m_class->setObjectName(QStringLiteral("saliencyClass"));
  m_class->setToolTip(tr("The class the map explains: the network's answer, or one you choose"));
  m_class->setAccessibleName(tr("Explain class"));
  // Narrow docks: the boxes may be narrower than their longest entry (the popup shows it whole).
  m_method->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_method->setMinimumContentsLength(6);
  m_class->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_class->setMinimumContentsLength(8);
  m_legend = new QLabel(this);
  m_legend->setObjectName(QStringLiteral("saliencyLegend"));
  m_legend->setWordWrap(true);
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.9);
  m_legend->setFont(small);

  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(4);
  grid->setVerticalSpacing(1);
  auto* label = new QLabel(tr("&Why:"), this);
  label->setBuddy(m_method);
  // "Why: [method]" on one line; while a map is shown, "[for class]" and the legend under it.
  grid->addWidget(label, 0, 0);
  grid->addWidget(m_method, 0, 1, 1, 2);
  grid->addWidget(m_class, 1, 0, 1, 2);
  grid->addWidget(m_legend, 1, 2);
  grid->setColumnStretch(2, 1);
  m_class->setVisible(false);
  m_legend->setVisible(false);
  setClassNames({});

  connect(m_method, &QComboBox::currentIndexChanged, this, [this] {
    m_class->setVisible(method().has_value());
    emit changed();
  });
  connect(m_class, &QComboBox::currentIndexChanged, this, &SaliencyBar::changed);
}

std::optional<SaliencyMethod> SaliencyBar::method() const {
  const int v = m_method->currentData().toInt();
  if (v == kNone) return std::nullopt;
  return static_cast<SaliencyMethod>(v);
}

int SaliencyBar::targetClass() const { return m_class->currentData().toInt(); }

void SaliencyBar::setClassNames(const QStringList& names) {
  const int keep = targetClass();
  const QSignalBlocker block(m_class);
  m_class->clear();
  m_class->addItem(tr("for its answer"), -1);
  for (int i = 0; i < names.size(); ++i) m_class->addItem(tr("for “%1”").arg(names[i]), i);
  const int at = m_class->findData(keep);
  m_class->setCurrentIndex(at >= 0 ? at : 0);
}

void SaliencyBar::setGradCamAvailable(bool available) {
  auto* model = qobject_cast<QStandardItemModel*>(m_method->model());
  if (!model) return;
  const int row = m_method->findData(int(SaliencyMethod::GradCam));
  if (QStandardItem* item = model->item(row)) item->setEnabled(available);
  if (!available && m_method->currentIndex() == row) m_method->setCurrentIndex(0);
}

void SaliencyBar::setExplained(const QString& className, const QString& error) {
  const auto m = method();
  if (!m || (className.isEmpty() && error.isEmpty())) {
    m_legend->clear();
    m_legend->setVisible(false);
    return;
  }
  QString text;
  if (!error.isEmpty())
    text = error;
  else if (*m == SaliencyMethod::GradCam)
    text = tr("Warm: where the network looks for “%1”").arg(className);
  else
    text = tr("<span style='color:#c0392b'>Red</span>: pushes toward “%1” · "
              "<span style='color:#2c6fbb'>blue</span>: against it")
               .arg(className.toHtmlEscaped());
  m_legend->setText(text);
  m_legend->setVisible(true);
}

}  // namespace dl
