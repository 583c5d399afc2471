#pragma once
// Train > Find learning rate…: runs the learning-rate range test (nn/LrRangeTest.h) in the
// training thread and plots the loss against the rate on a logarithmic axis as the points come
// (the smoothed loss, and every batch's loss faintly), then marks the suggested rate (fastai's
// "valley" on the smoothed loss, see nn/LrRangeTest.h) with a dot and a vertical line. The
// rate box below starts at the suggestion and can be changed; "Use this rate" hands it over
// (rateChosen) and closes the dialog. Stop ends the test within one batch; closing the dialog
// stops it too and waits for the worker (at most one batch), so that the training thread is free
// when the dialog is gone. The test runs on a copy of the weights: the model is never changed.

#include "train/TrainingTypes.h"

#include <QDialog>
#include <QPointer>

#include <vector>

class QChartView;
class QLabel;
class QLineSeries;
class QLogValueAxis;
class QPushButton;
class QScatterSeries;
class QValueAxis;

namespace dl {

class ScientificSpinBox;
class TrainingController;

class LrRangeDialog : public QDialog {
  Q_OBJECT

 public:
  // `what` says which weights the test starts from ("a copy of the trained weights", ...).
  LrRangeDialog(TrainingController* controller, const LrRangeRequest& request, const QString& what,
                QWidget* parent = nullptr);
  ~LrRangeDialog() override;

  // Starts the test (false, with the reason shown, when the controller refuses: a run is active).
  bool start();
  bool isRunning() const { return m_running; }
  const std::vector<LrRangePoint>& points() const { return m_points; }
  const LrRangeResult& result() const { return m_result; }
  double chosenRate() const;
  void setChosenRate(double lr);
  QString statusText() const;

  QPushButton* useButton() const { return m_use; }
  QPushButton* stopButton() const { return m_stop; }
  QChartView* chartView() const { return m_view; }
  QScatterSeries* suggestionSeries() const { return m_suggestionDot; }

  // Stops a running test and waits for the worker to end it (at most one batch), then closes.
  void done(int result) override;

 signals:
  void rateChosen(double learningRate);

 private:
  void onProgress(const std::vector<LrRangePoint>& points, int total);
  void onFinished(const LrRangeResult& result, const QString& error);
  void redraw();

  QPointer<TrainingController> m_controller;  // the window's: may go first when the window closes
  LrRangeRequest m_request;
  bool m_running = false;
  int m_total = 0;
  std::vector<LrRangePoint> m_points;
  LrRangeResult m_result;

  QChartView* m_view = nullptr;
  QLineSeries* m_raw = nullptr;
  QLineSeries* m_smoothed = nullptr;
  QScatterSeries* m_suggestionDot = nullptr;
  QLineSeries* m_suggestionLine = nullptr;
  QLogValueAxis* m_xAxis = nullptr;
  QValueAxis* m_yAxis = nullptr;
  QLabel* m_status = nullptr;
  ScientificSpinBox* m_rate = nullptr;
  QPushButton* m_use = nullptr;
  QPushButton* m_stop = nullptr;
  QPushButton* m_close = nullptr;
};

}  // namespace dl
