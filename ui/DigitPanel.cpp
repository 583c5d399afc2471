// The "draw a digit" panel: canvas, buttons, the network's 28x28 view, the probability bars and
// the top class, with live prediction by a private Model. See DigitPanel.h.

#include "DigitPanel.h"

#include "AppSettings.h"
#include "DrawingCanvas.h"
#include "MyDigitsBar.h"
#include "SaliencyBar.h"
#include "data/Strokes.h"
#include "inspect/InspectImages.h"
#include "nn/Inspection.h"
#include "nn/Model.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QResizeEvent>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <utility>

namespace dl {

namespace {
// Canvas units of a w x h picture shown on the canvas: scaled to fit the unit square keeping its
// aspect ratio, centred (as DrawingCanvas::render() draws it).
QTransform pictureToUnits(int w, int h) {
  if (w <= 0 || h <= 0) return {};
  const double s = 1.0 / std::max(w, h);
  return QTransform::fromScale(s, s) * QTransform::fromTranslate((1 - w * s) / 2, (1 - h * s) / 2);
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// The 28x28 input, enlarged by a whole factor with nearest-neighbour scaling (every network
// pixel stays a crisp square).
class DigitPanel::InputView : public QWidget {
 public:
  explicit InputView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setToolTip(
        tr("The 28×28 image the network sees: the ink cropped, scaled into 20×20 and "
           "centred by its centre of mass, as MNIST digits were made"));
  }
  void setImage(const QImage& img) {
    m_image = img;
    update();
  }
  QSize sizeHint() const override { return QSize(kScale * DigitInput::kSide + 2, kScale * DigitInput::kSide + 2); }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.fillRect(rect(), Qt::black);
    const int k = std::max(1, std::min(width() - 2, height() - 2) / DigitInput::kSide);
    const QRect target((width() - k * DigitInput::kSide) / 2, (height() - k * DigitInput::kSide) / 2,
                       k * DigitInput::kSide, k * DigitInput::kSide);
    if (!m_image.isNull()) {
      p.setRenderHint(QPainter::SmoothPixmapTransform, false);
      p.drawImage(target, m_image);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(target.adjusted(-1, -1, 0, 0));
  }

 private:
  static constexpr int kScale = 3;  // 84 px: fits beside the answer in a narrow column
  QImage m_image;
};

// ---------------------------------------------------------------------------------------------
// Horizontal probability bars, one row per class: name, bar, percentage. Painted directly (a
// chart widget would be slower to update on every mouse move and adds nothing here).
class DigitPanel::ProbabilityBars : public QWidget {
 public:
  explicit ProbabilityBars(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAccessibleName(tr("Class probabilities"));
    setToolTip(tr("How likely the network finds each class for the digit drawn; the highlighted bar is its answer"));
  }
  void setData(const QStringList& names, const QList<float>& probs, int top, int truth) {
    const bool resized = names.size() != m_names.size();
    m_names = names;
    if (resized) {
      // Rows grow up to twice a text line; past that the column's spare room stays below.
      setMaximumHeight(rows() * 2 * QFontMetrics(font()).height());
      updateGeometry();
    }
    m_probs = probs;
    m_top = top;
    m_truth = truth;
    // What a screen reader says: every class with its probability.
    QStringList parts;
    for (qsizetype i = 0; i < m_names.size(); ++i)
      parts << (i < m_probs.size() ? tr("%1: %2 %").arg(m_names[i]).arg(m_probs[i] * 100, 0, 'f', 1) : m_names[i]);
    setAccessibleDescription(parts.join(QStringLiteral(", ")));
    update();
  }
  // Every row at least one text line high, so all classes are readable in a short column.
  QSize minimumSizeHint() const override {
    const QFontMetrics fm(font());
    return QSize(nameWidth(fm) + fm.horizontalAdvance(QStringLiteral("100.0 %")) + 8 + 80, rows() * (fm.height() + 1));
  }
  QSize sizeHint() const override {
    const QFontMetrics fm(font());
    return QSize(minimumSizeHint().width() + 40, rows() * (fm.height() + 8));
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    const int n = static_cast<int>(m_names.size());
    if (n == 0) return;
    const qreal rowH = std::min<qreal>(height() / static_cast<qreal>(n), fm.height() * 2);
    const int nameW = nameWidth(fm);
    const int pctW = fm.horizontalAdvance(QStringLiteral("100.0 %")) + 8;
    const qreal barX = nameW + 8;
    const qreal barW = std::max<qreal>(10, width() - barX - pctW);
    const qreal barH = std::max<qreal>(4, rowH * 0.62);
    const QColor track = palette().color(QPalette::Base).darker(108);
    const QColor normal(120, 144, 180);
    const QColor highlight = palette().color(QPalette::Highlight);
    const QColor text = palette().color(QPalette::WindowText);

    for (int i = 0; i < n; ++i) {
      const qreal y = i * rowH;
      const QRectF nameRect(0, y, nameW, rowH);
      QFont f = font();
      f.setBold(i == m_top || i == m_truth);
      p.setFont(f);
      p.setPen(i == m_truth ? QColor(30, 130, 60) : text);
      p.drawText(nameRect, Qt::AlignRight | Qt::AlignVCenter, m_names[i]);

      const QRectF trackRect(barX, y + (rowH - barH) / 2, barW, barH);
      p.setPen(Qt::NoPen);
      p.setBrush(track);
      p.drawRoundedRect(trackRect, 2, 2);
      if (i < m_probs.size()) {
        const qreal v = std::clamp<qreal>(m_probs[i], 0, 1);
        if (v > 0) {
          p.setBrush(i == m_top ? highlight : normal);
          p.drawRoundedRect(QRectF(trackRect.topLeft(), QSizeF(std::max<qreal>(2, barW * v), barH)), 2, 2);
        }
        p.setFont(f);
        p.setPen(text);
        p.drawText(QRectF(barX + barW, y, pctW, rowH), Qt::AlignRight | Qt::AlignVCenter,
                   QStringLiteral("%1 %").arg(v * 100, 0, 'f', 1));
      }
    }
  }

 private:
  int rows() const { return static_cast<int>(std::max<qsizetype>(m_names.size(), 1)); }
  int nameWidth(const QFontMetrics& fm) const {
    int w = fm.horizontalAdvance(QStringLiteral("0"));
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics bfm(bold);
    for (const QString& s : m_names) w = std::max(w, bfm.horizontalAdvance(s));
    return w + 4;
  }

  QStringList m_names;
  QList<float> m_probs;
  int m_top = -1;
  int m_truth = -1;
};

// ---------------------------------------------------------------------------------------------

DigitPanel::DigitPanel(QWidget* parent) : QWidget(parent) {
  for (int i = 0; i < 10; ++i) m_classNames << QString::number(i);

  m_canvas = new DrawingCanvas(this);
  m_canvas->setObjectName(QStringLiteral("digitCanvas"));
  m_clearButton = new QPushButton(tr("Clear"), this);
  m_clearButton->setObjectName(QStringLiteral("clearButton"));
  m_undoButton = new QPushButton(tr("Undo stroke"), this);
  m_undoButton->setObjectName(QStringLiteral("undoButton"));
  m_clearButton->setToolTip(tr("Clear the drawing (Delete on the canvas)"));
  m_undoButton->setToolTip(tr("Remove the last stroke (Backspace on the canvas)"));
  m_openButton = new QPushButton(tr("Open image…"), this);
  m_openButton->setObjectName(QStringLiteral("openImageButton"));
  m_openButton->setToolTip(tr("Predict a digit from an image file (you can also drop one on the canvas)"));
  m_randomButton = new QPushButton(tr("Random test digit"), this);
  m_randomButton->setObjectName(QStringLiteral("randomTestDigitButton"));
  m_randomButton->setToolTip(tr("Show a digit from the test set, with its true label"));

  m_inputView = new InputView(this);
  m_bars = new ProbabilityBars(this);
  m_bars->setObjectName(QStringLiteral("probabilityBars"));

  m_topLabel = new QLabel(this);
  m_topLabel->setObjectName(QStringLiteral("topClassLabel"));
  m_topLabel->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  m_topLabel->setAccessibleName(tr("Predicted digit"));
  m_topLabel->setToolTip(tr("The class the network finds most likely"));
  m_topProbLabel = new QLabel(this);
  m_topProbLabel->setObjectName(QStringLiteral("topProbabilityLabel"));
  QFont probFont = font();
  probFont.setPointSizeF(probFont.pointSizeF() * 1.4);
  m_topProbLabel->setFont(probFont);
  m_topProbLabel->setAccessibleName(tr("Confidence"));
  m_topProbLabel->setToolTip(tr("The probability the network gives its answer"));
  m_truthLabel = new QLabel(this);
  m_truthLabel->setObjectName(QStringLiteral("trueLabel"));
  m_messageLabel = new QLabel(this);
  m_messageLabel->setObjectName(QStringLiteral("predictionMessage"));
  m_messageLabel->setAccessibleName(tr("Prediction"));
  m_messageLabel->setWordWrap(true);
  m_messageLabel->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_messageLabel->setContentsMargins(0, 8, 0, 0);
  m_truthLabel->setWordWrap(true);
  // The answer and the reason for no answer take turns in the same place, so nothing moves.
  m_answerStack = new QStackedWidget(this);
  m_answerStack->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);  // spare room goes elsewhere
  auto* answerPage = new QWidget(m_answerStack);
  auto* answerLayout = new QVBoxLayout(answerPage);
  answerLayout->setContentsMargins(0, 0, 0, 0);
  answerLayout->addWidget(m_topLabel);
  answerLayout->addWidget(m_topProbLabel);
  answerLayout->addStretch(1);
  m_answerStack->addWidget(answerPage);
  // Without a trained model: why there is no answer, and a way to get one made for drawing (on
  // two lines, so that it fits beside the 28x28 in a narrow dock and the canvas keeps its size).
  auto* messagePage = new QWidget(m_answerStack);
  auto* messageLayout = new QVBoxLayout(messagePage);
  messageLayout->setContentsMargins(0, 0, 0, 0);
  messageLayout->setSpacing(2);
  messageLayout->addWidget(m_messageLabel);
  m_trainForDrawing = new QPushButton(tr("Train a model\nfor drawing"), messagePage);
  m_trainForDrawing->setObjectName(QStringLiteral("trainForDrawingButton"));
  m_trainForDrawing->setAccessibleName(tr("Train a model for drawing"));
  m_trainForDrawing->setToolTip(
      tr("Load the Digits preset (augmentation and a small CNN, made for reading drawn "
         "digits) and train it on the loaded data"));
  m_trainForDrawing->setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
  connect(m_trainForDrawing, &QPushButton::clicked, this, &DigitPanel::trainForDrawingRequested);
  messageLayout->addWidget(m_trainForDrawing, 0, Qt::AlignLeft);
  messageLayout->addStretch(1);
  m_answerStack->addWidget(messagePage);

  // One column: canvas, buttons (two rows), what the network sees beside its answer, and every
  // class's probability. The answer's parts have fixed heights, so nothing moves under the pen.
  auto* buttons = new QGridLayout;
  buttons->setContentsMargins(0, 0, 0, 0);
  buttons->addWidget(m_clearButton, 0, 0);
  buttons->addWidget(m_undoButton, 0, 1);
  buttons->addWidget(m_openButton, 1, 0);
  buttons->addWidget(m_randomButton, 1, 1);

  auto* answer = new QVBoxLayout;
  answer->setContentsMargins(0, 0, 0, 0);
  answer->setSpacing(2);
  answer->addWidget(m_answerStack);
  answer->addWidget(m_truthLabel);
  auto* seen = new QHBoxLayout;
  seen->addWidget(m_inputView, 0, Qt::AlignTop);
  seen->addSpacing(8);
  seen->addLayout(answer, 1);
  seen->setAlignment(answer, Qt::AlignTop);

  auto* main = new QVBoxLayout(this);
  main->addWidget(m_canvas, 1);
  main->addLayout(buttons);
  m_myDigits = new MyDigitsBar(this);
  main->addWidget(m_myDigits);
  m_why = new SaliencyBar(this);
  main->addWidget(m_why);
  m_why->setClassNames(m_classNames);
  main->addSpacing(2);
  main->addLayout(seen);
  main->addSpacing(2);
  main->addWidget(m_bars);
  main->addStretch(0);
  setAcceptDrops(true);  // a drop beside the canvas counts too

  connect(m_canvas, &DrawingCanvas::imageChanged, this, &DigitPanel::onCanvasChanged);
  connect(m_clearButton, &QPushButton::clicked, m_canvas, &DrawingCanvas::clear);
  connect(m_undoButton, &QPushButton::clicked, m_canvas, &DrawingCanvas::undoStroke);
  connect(m_openButton, &QPushButton::clicked, this, &DigitPanel::openImage);
  connect(m_randomButton, &QPushButton::clicked, this, &DigitPanel::showRandomTestDigit);
  connect(m_canvas, &DrawingCanvas::imageFileDropped, this, &DigitPanel::openImageFile);
  connect(m_why, &SaliencyBar::changed, this, &DigitPanel::updateSaliency);

  m_input = preprocessDigit(QImage());
  updateFonts();
  refresh();
}

void DigitPanel::updateFonts() {
  bool shortNames = true;
  for (const QString& s : std::as_const(m_classNames)) shortNames = shortNames && s.size() <= 2;
  QFont f = font();
  f.setBold(true);
  f.setPointSizeF(f.pointSizeF() * (shortNames ? 4.5 : 1.8));
  m_topLabel->setFont(f);
  m_topLabel->setMinimumHeight(QFontMetrics(f).height());
  m_bars->setData(m_classNames, {}, -1, -1);
}

void DigitPanel::capCanvasHeight() {
  const QMargins m = layout()->contentsMargins();
  const int width = contentsRect().width() - m.left() - m.right();
  m_canvas->setMaximumHeight(std::max(DrawingCanvas::kMinimumSide, width));
}

void DigitPanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  capCanvasHeight();
}

void DigitPanel::dragEnterEvent(QDragEnterEvent* event) {
  if (!DrawingCanvas::imageFileIn(event->mimeData()).isEmpty())
    event->acceptProposedAction();
  else
    event->ignore();
}

void DigitPanel::dragMoveEvent(QDragMoveEvent* event) {
  if (!DrawingCanvas::imageFileIn(event->mimeData()).isEmpty())
    event->acceptProposedAction();
  else
    event->ignore();
}

void DigitPanel::dropEvent(QDropEvent* event) {
  const QString path = DrawingCanvas::imageFileIn(event->mimeData());
  if (path.isEmpty()) return event->ignore();
  event->acceptProposedAction();
  openImageFile(path);
}

DigitPanel::~DigitPanel() = default;

void DigitPanel::setModel(const ModelSpec& spec, const std::vector<Matrix>& weights) {
  try {
    if (!m_model || m_model->spec().inputShape != spec.inputShape || m_model->spec().layers != spec.layers) {
      m_model.reset();
      m_model = std::make_unique<Model>(spec, 1);
    }
    m_model->setWeights(weights);
    m_modelError.clear();
    m_why->setGradCamAvailable(std::any_of(spec.layers.begin(), spec.layers.end(),
                                           [](const LayerSpec& l) { return l.kind == LayerKind::Conv2D; }));
  } catch (const std::exception& e) {
    m_model.reset();
    m_modelError = tr("This model cannot be used for predictions: %1").arg(QString::fromStdString(e.what()));
  }
  emit modelChanged();
  refresh();
}

void DigitPanel::clearModel() {
  m_model.reset();
  m_modelError.clear();
  emit modelChanged();
  refresh();
}

void DigitPanel::setTestData(const Dataset& test, const std::vector<std::string>& classNames) {
  setTestData(std::make_shared<const Dataset>(test), classNames);
}

void DigitPanel::setTestData(std::shared_ptr<const Dataset> test, const std::vector<std::string>& classNames) {
  m_test = std::move(test);
  if (m_testIndex >= 0) m_testIndex = -1;
  if (!classNames.empty()) setClassNames(classNames);
  refresh();
}

void DigitPanel::setClassNames(const std::vector<std::string>& classNames) {
  m_classNames.clear();
  for (const std::string& s : classNames) m_classNames << QString::fromStdString(s);
  m_why->setClassNames(m_classNames);
  updateFonts();
  refresh();
}

QString DigitPanel::className(int index) const {
  return index >= 0 && index < m_classNames.size() ? m_classNames[index] : QString::number(index);
}

void DigitPanel::showRandomTestDigit() {
  if (!m_test || m_test->empty()) return;
  showTestDigit(static_cast<int>(QRandomGenerator::global()->bounded(m_test->count)));
}

void DigitPanel::showTestDigit(int index) {
  if (!m_test || index < 0 || index >= m_test->count) return;
  const Dataset& d = *m_test;
  DigitInput input;
  const float* src = d.image(index);
  if (d.rows == DigitInput::kSide && d.cols == DigitInput::kSide) {
    // The network gets the test sample exactly as it is in the dataset.
    std::copy(src, src + DigitInput::kPixels, input.pixels.begin());
    input.empty = std::none_of(input.pixels.begin(), input.pixels.end(), [](float v) { return v > 0; });
    input.image = digitImage(input.pixels.data());
  } else {
    // A sample of the data the model learnt from: only fitted, its strokes as they are.
    input = preprocessDigit(digitImage(src, d.rows, d.cols), InkPolarity::LightOnDark, StrokeNormalisation::Keep);
  }
  m_sourceToUnits = pictureToUnits(d.cols, d.rows);
  m_settingTestDigit = true;
  m_canvas->setImage(digitImage(src, d.rows, d.cols));  // white on black: the canvas inverts it
  m_settingTestDigit = false;
  m_loadError.clear();
  m_input = input;
  m_testIndex = index;
  m_shownTruth = -1;
  refresh();
}

void DigitPanel::showDigit(const float* pixels, int trueLabel, const QString& caption) {
  if (!pixels) return;
  DigitInput input;
  std::copy(pixels, pixels + DigitInput::kPixels, input.pixels.begin());
  input.empty = std::none_of(input.pixels.begin(), input.pixels.end(), [](float v) { return v > 0; });
  input.image = digitImage(input.pixels.data());
  m_sourceToUnits = pictureToUnits(DigitInput::kSide, DigitInput::kSide);
  m_settingTestDigit = true;
  m_canvas->setImage(input.image);  // white on black: the canvas inverts it
  m_settingTestDigit = false;
  m_loadError.clear();
  m_input = input;
  m_testIndex = -1;
  m_shownTruth = trueLabel;
  m_shownCaption = caption.isEmpty() ? tr("Digit") : caption;
  refresh();
}

void DigitPanel::openImage() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open a digit image"), settings::lastFolder(),
      tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.pgm *.pbm *.ppm *.webp *.svg);;All files (*)"));
  if (path.isEmpty()) return;
  settings::rememberFolder(path);
  openImageFile(path);
}

void DigitPanel::openImageFile(const QString& path) {
  if (!loadImage(path)) QMessageBox::warning(this, tr("Open image"), m_loadError);
}

bool DigitPanel::loadImage(const QString& path) {
  QImageReader reader(path);
  reader.setAutoTransform(true);
  const QImage img = reader.read();
  if (img.isNull()) {
    m_loadError = tr("Cannot read %1: %2").arg(QFileInfo(path).fileName(), reader.errorString());
    refresh();
    return false;
  }
  m_loadError.clear();
  m_canvas->setImage(img);  // emits imageChanged -> onCanvasChanged
  return true;
}

void DigitPanel::onCanvasChanged() {
  if (m_settingTestDigit) return;
  m_testIndex = -1;
  m_shownTruth = -1;
  m_loadError.clear();
  // Strokes alone: drawn again from the vectors with MNIST's pen (data/Strokes.h), so the size
  // of the drawing and the canvas's pen do not change the stroke weight. A picture (with or
  // without strokes over it): from the pixels, stroke width normalised for digits only.
  bool digits = m_classNames.size() == 10;  // Fashion-MNIST's pictures are not strokes
  for (int i = 0; digits && i < 10; ++i) digits = m_classNames[i] == QString::number(i);
  m_sourceToUnits =
      m_canvas->hasPicture() ? pictureToUnits(m_canvas->image().width(), m_canvas->image().height()) : QTransform();
  m_input = m_canvas->hasPicture() ? preprocessDigit(m_canvas->image(), InkPolarity::DarkOnLight,
                                                     digits ? StrokeNormalisation::ToMnist : StrokeNormalisation::Keep)
                                   : renderStrokes(m_canvas->strokes());
  refresh();
}

void DigitPanel::predict() {
  m_top = -1;
  m_probs.clear();
  if (!m_model || m_input.empty || m_model->inputSize() != DigitInput::kPixels) return;
  try {
    const Matrix p = m_model->predict(m_input.pixels.data(), 1);
    m_probs.reserve(p.cols());
    for (Eigen::Index c = 0; c < p.cols(); ++c) m_probs << p(0, c);
    m_top = static_cast<int>(std::max_element(m_probs.begin(), m_probs.end()) - m_probs.begin());
  } catch (const std::exception&) {
    m_top = -1;
    m_probs.clear();
  }
}

void DigitPanel::scheduleSaliency() {
  // Once per event-loop turn, after every queued pen move: occlusion on a large CNN takes tens of
  // milliseconds, more than a fast pen leaves between two moves.
  if (m_saliencyQueued) return;
  if (!m_why->method()) return updateSaliency();  // nothing to compute: clear at once
  m_saliencyQueued = true;
  QTimer::singleShot(0, this, [this] {
    m_saliencyQueued = false;
    updateSaliency();
  });
}

void DigitPanel::updateSaliency() {
  const auto method = m_why->method();
  if (!method || m_top < 0 || !m_model) {
    m_canvas->setOverlay({}, {});
    m_why->setExplained({});
    return;
  }
  SaliencyOptions options;
  const int chosen = m_why->targetClass();
  options.targetClass = chosen < m_model->numClasses() ? chosen : -1;
  try {
    const SaliencyMap map = saliency(*m_model, m_input.pixels.data(), *method, options);
    // The map is on the 28x28 field: back to the source, then to the canvas.
    const QTransform fieldToUnits = m_input.sourceToInput.inverted() * m_sourceToUnits;
    m_canvas->setOverlay(saliencyLayer(map, 0.9), fieldToUnits);
    m_why->setExplained(className(map.targetClass));
  } catch (const std::exception& e) {
    m_canvas->setOverlay({}, {});
    m_why->setExplained({}, QString::fromStdString(e.what()));
  }
}

void DigitPanel::setTrainingOffered(bool offered) {
  if (m_offerTraining == offered) return;
  m_offerTraining = offered;
  refresh();
}

void DigitPanel::refresh() {
  predict();

  m_undoButton->setEnabled(m_canvas->canUndo());
  m_clearButton->setEnabled(!m_canvas->isEmpty());
  m_randomButton->setEnabled(m_test && !m_test->empty());
  // Nothing to explain without a model: the canvas keeps the room.
  m_why->setVisible(m_model != nullptr);
  m_inputView->setImage(m_input.image);

  // The bars show every class, named, even without a prediction.
  QStringList names = m_classNames;
  const int classes = m_model ? m_model->numClasses() : static_cast<int>(names.size());
  while (names.size() < classes) names << QString::number(names.size());
  if (m_model) names = names.mid(0, classes);
  const int truth = m_testIndex >= 0 ? m_test->labels[m_testIndex] : m_shownTruth;
  m_bars->setData(names, m_probs, m_top, truth);

  // The answer, or why there is none.
  QString message;
  if (!m_loadError.isEmpty())
    message = m_loadError;
  else if (!m_model)
    message = m_modelError.isEmpty() ? tr("Train or load a model to see predictions.") : m_modelError;
  else if (m_model->inputSize() != DigitInput::kPixels)
    message = tr("This model takes %1 inputs; a drawn digit gives %2 (28×28).")
                  .arg(m_model->inputSize())
                  .arg(DigitInput::kPixels);
  else if (m_input.empty)
    message = tr("Draw a digit to see what the network thinks");
  const bool answered = m_top >= 0;
  m_messageLabel->setText(message);
  m_trainForDrawing->setVisible(!m_model && m_loadError.isEmpty() && m_offerTraining);
  m_answerStack->setCurrentIndex(answered && m_loadError.isEmpty() ? 0 : 1);
  m_topLabel->setText(answered ? className(m_top) : QString());
  m_topProbLabel->setText(answered ? tr("%1 % sure").arg(m_probs[m_top] * 100, 0, 'f', 1) : QString());

  if (truth >= 0) {
    QString text = m_testIndex >= 0 ? tr("Test digit #%1 — true label: %2").arg(m_testIndex).arg(className(truth))
                                    : tr("%1 — true label: %2").arg(m_shownCaption, className(truth));
    QColor colour = palette().color(QPalette::WindowText);
    if (answered) {
      const bool right = truth == m_top;
      text += right ? tr(" ✓") : tr(" ✗");
      colour = right ? QColor(30, 130, 60) : QColor(190, 40, 40);
    }
    m_truthLabel->setText(text);
    QPalette pal = m_truthLabel->palette();
    pal.setColor(QPalette::WindowText, colour);
    m_truthLabel->setPalette(pal);
    m_truthLabel->setVisible(true);
  } else {
    m_truthLabel->clear();
    m_truthLabel->setVisible(false);
  }

  scheduleSaliency();
  emit predictionChanged(m_top, m_probs);
}

}  // namespace dl
