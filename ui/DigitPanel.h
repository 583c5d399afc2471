#pragma once
// The "draw a digit" panel, laid out as a narrow column (it lives in a side dock): a DrawingCanvas
// on top (square, as wide as the column while the height allows), Clear / Undo stroke / Open
// image… / Random test digit under it in two rows, then the 28x28 image the network actually sees
// (enlarged, nearest neighbour) beside the top class shown large with its probability, then a bar
// chart of all class probabilities with the class names. An image file dropped on the canvas or
// the panel is shown and predicted as Open image… does. Every stroke update runs the network once, synchronously in the
// GUI thread (a single-sample forward pass of the tutorial CNN is about 30 MFLOP, well under a frame).
//
// The panel owns a private dl::Model built from what setModel() gives it, so it always predicts
// with a consistent snapshot of the weights, whatever a training thread is doing meanwhile.
//
// Usage (this API is what the main window relies on; keep it stable):
//   panel->setModel(spec, model.weights());   // after each epoch, after loading a model file, ...
//   panel->clearModel();                      // no model: "Train or load a model to see predictions"
//   panel->setTestData(pair.test, pair.classNames);  // enables "Random test digit"
//   connect(panel, &DigitPanel::predictionChanged, ...);

#include "data/Dataset.h"
#include "data/DigitPreprocess.h"
#include "nn/ModelSpec.h"
#include "nn/Tensor.h"

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <string>
#include <vector>

class QDragEnterEvent;
class QDragMoveEvent;
class QDropEvent;
class QLabel;
class QResizeEvent;
class QPushButton;
class QStackedWidget;

namespace dl {

class DrawingCanvas;
class Model;
class MyDigitsBar;
class SaliencyBar;

class DigitPanel : public QWidget {
  Q_OBJECT

 public:
  explicit DigitPanel(QWidget* parent = nullptr);
  ~DigitPanel() override;

  // Predicts with this architecture and these weights (Model::weights() order) from now on. The
  // panel keeps its own Model: it is rebuilt only when the architecture (input shape or layers)
  // differs from the current one, otherwise only the weights are copied in. Cheap enough to call
  // after every epoch, or a few times a second while training. An invalid spec or mismatched
  // weights leave the panel without a model and show why. Re-predicts the current digit.
  void setModel(const ModelSpec& spec, const std::vector<Matrix>& weights);
  // Drops the model: no prediction, "Train or load a model to see predictions".
  void clearModel();
  bool hasModel() const { return m_model != nullptr; }
  // The panel's own model (null: none). Read only: for views that copy its spec and weights.
  const Model* model() const { return m_model.get(); }
  // Whether "Train a model for drawing" may be offered (no run going, data loaded); it shows only
  // while the panel has no model.
  void setTrainingOffered(bool offered);

  // The test set behind "Random test digit" (the panel keeps a copy; use the shared_ptr overload
  // to share one instead) and the class names shown on the bars (empty: keep the current ones).
  void setTestData(const Dataset& test, const std::vector<std::string>& classNames = {});
  void setTestData(std::shared_ptr<const Dataset> test, const std::vector<std::string>& classNames = {});
  // Bar labels, one per class; default "0".."9".
  void setClassNames(const std::vector<std::string>& classNames);
  QStringList classNames() const { return m_classNames; }

  // The 28x28 input the network sees now (Format_Grayscale8, white ink on black, as MNIST).
  QImage currentInput() const { return m_input.image; }
  // The same as 784 floats in [0, 1] (1 = ink), and whether there is any ink.
  const DigitInput& currentDigit() const { return m_input; }
  // The "Show why" row (the saliency map laid over the canvas).
  SaliencyBar* saliencyBar() const { return m_why; }

  // The last prediction: the top class (-1: none) and all class probabilities (empty: none).
  int predictedClass() const { return m_top; }
  QList<float> probabilities() const { return m_probs; }
  // Index into the test set of the digit shown, while it is shown unchanged; else -1.
  int testIndex() const { return m_testIndex; }

  DrawingCanvas* canvas() const { return m_canvas; }
  // The "Add to my digits" row under the buttons (the window gives it the store).
  MyDigitsBar* myDigitsBar() const { return m_myDigits; }

 public slots:
  // Shows a random digit of the test set, its true label and the prediction (no-op without data).
  void showRandomTestDigit();
  // Shows test digit `index` (ignored if out of range).
  void showTestDigit(int index);
  // Shows any 28x28 digit (784 floats in [0, 1], 1 = ink, row-major, as a Dataset holds them;
  // copied) with its true label (-1: none) as showTestDigit does; `caption` names it in the
  // true-label line ("Validation digit #512 — true label: 7"). Drawing over it goes on from it.
  void showDigit(const float* pixels, int trueLabel, const QString& caption = {});
  // Asks for an image file (starting in settings::lastFolder(), which then remembers the file's
  // folder) and shows it as the digit.
  void openImage();
  // Shows the image file at `path` as the digit; false (and a message on the panel) if it cannot
  // be read.
  bool loadImage(const QString& path);

 signals:
  // After every update of the input or the model: the top class and the class probabilities
  // (summing to 1), or -1 and an empty list when there is no prediction (no model, blank canvas).
  void predictionChanged(int digit, const QList<float>& probabilities);
  // "Train a model for drawing", offered while no trained model is loaded.
  void trainForDrawingRequested();
  // After setModel() and clearModel() (model() is the new one, or null).
  void modelChanged();

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  class InputView;
  class ProbabilityBars;

  void onCanvasChanged();
  // Runs the model on m_input, updates every display and emits predictionChanged.
  void refresh();
  void predict();
  // Lays the chosen saliency map of the current input over the canvas (or removes it), now or
  // (schedule) once the queued input events are handled.
  void updateSaliency();
  void scheduleSaliency();
  QString className(int index) const;
  // The large answer font, which depends on the class names' length.
  void updateFonts();
  // loadImage(), and a message box if the file cannot be read (Open image… and a drop).
  void openImageFile(const QString& path);
  // Keeps the canvas no taller than it is wide, so the buttons sit right under the square.
  void capCanvasHeight();

  DrawingCanvas* m_canvas = nullptr;
  QPushButton* m_clearButton = nullptr;
  QPushButton* m_undoButton = nullptr;
  QPushButton* m_openButton = nullptr;
  QPushButton* m_randomButton = nullptr;
  MyDigitsBar* m_myDigits = nullptr;
  QPushButton* m_trainForDrawing = nullptr;
  bool m_offerTraining = true;
  InputView* m_inputView = nullptr;
  ProbabilityBars* m_bars = nullptr;
  QLabel* m_topLabel = nullptr;             // the top class, large
  QLabel* m_topProbLabel = nullptr;         // its probability
  QLabel* m_truthLabel = nullptr;           // a test digit's true label
  QLabel* m_messageLabel = nullptr;         // why there is no prediction
  QStackedWidget* m_answerStack = nullptr;  // the answer or the message

  std::unique_ptr<Model> m_model;
  QString m_modelError;  // why setModel() failed, if it did
  std::shared_ptr<const Dataset> m_test;
  QStringList m_classNames;
  DigitInput m_input;
  // The source of m_input (see DigitInput::sourceToInput) -> canvas units: identity for strokes,
  // the fit of the picture into the square for a picture or a test digit.
  QTransform m_sourceToUnits;
  SaliencyBar* m_why = nullptr;
  bool m_saliencyQueued = false;
  int m_testIndex = -1;
  int m_shownTruth = -1;  // showDigit(): its true label and caption, while shown unchanged
  QString m_shownCaption;
  bool m_settingTestDigit = false;  // ignore the canvas's own change signal meanwhile
  QString m_loadError;
  int m_top = -1;
  QList<float> m_probs;
};

}  // namespace dl
