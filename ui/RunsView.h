#pragma once
// The Runs tab: every run since DigitLab started (and those read from opened model files), side by
// side. A table lists each run's settings and results (one row per run: its colour, when it
// started, dataset, architecture, optimizer, learning rate, batch size, epochs, parameters, final
// validation and test accuracy, seconds, how it ended, and the file it came from); ticking a row's
// box overlays that run's curve on the chart above, in the run's colour, for the metric chosen
// (loss, accuracy, val_loss, val_accuracy, and my digits' accuracy). The chart exports as PNG and
// SVG, the ticked runs' numbers as CSV (train/RunRecord.h's runsCsv), all through QSaveFile.
//
//   runs->addOrUpdateRun(record);                 // a run starts, an epoch ends, it finishes
//   runs->addRuns(metadata.runs, path);           // an opened file's runs, listed once (by id)
//   runs->setChecked(i, true); runs->setMetric("val_loss");
//   runs->exportPng(path, &error); runs->exportSvg(...); runs->exportCsv(...);
//
// The chart is rebuilt from a coalescing timer (Qt Charts is slow to add and fill series; see
// shared/TOOLCHAIN.md): one series per ticked run filled with replace(), axes set by hand, no
// animation.

#include "train/RunRecord.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;
class QValueAxis;

namespace dl {

class RunsView : public QWidget {
  Q_OBJECT

 public:
  explicit RunsView(QWidget* parent = nullptr);

  // Adds `run`, or replaces the listed run with its id (its tick stays). A new run trained here is
  // ticked; returns its row.
  int addOrUpdateRun(const RunRecord& run);
  // Adds the runs whose ids are not listed yet, marked as read from `sourceFile` and not ticked;
  // returns how many were added.
  int addRuns(const std::vector<RunRecord>& runs, const QString& sourceFile);
  const std::vector<RunRecord>& runs() const { return m_runs; }
  // "Run 3"; a run read from a file says which: "Run 3 (model.dlm)".
  QString runLabel(int row) const;
  QColor runColour(int row) const;

  void setChecked(int row, bool checked);
  bool isChecked(int row) const;
  // "loss", "accuracy", "val_loss", "val_accuracy" or "my_digits_accuracy".
  void setMetric(const QString& metric);
  QString metric() const;
  static QStringList metrics();

  // The chart as shown: the chart's series (one per ticked run with a value of the metric).
  QChart* chart() const { return m_chart; }
  QTableWidget* table() const { return m_table; }
  // Rebuilds the chart now instead of at the timer's next tick.
  void refreshNow();

  // The chart as PNG (of the chart's size on screen, at least 800x500) or SVG, and the ticked
  // runs' numbers as CSV (every run when none is ticked). false + *error on failure.
  bool exportPng(const QString& path, QString* error = nullptr);
  bool exportSvg(const QString& path, QString* error = nullptr);
  bool exportCsv(const QString& path, QString* error = nullptr) const;

 signals:
  // For the status bar: what an export wrote, or why it failed.
  void message(const QString& text);

 private:
  void fillRow(int row);
  void rebuildChart();
  void scheduleChart();
  void updateHint();
  void exportWithDialog(const QString& kind);
  QSize exportSize() const;

  std::vector<RunRecord> m_runs;
  std::vector<bool> m_checked;
  QTableWidget* m_table = nullptr;
  QChart* m_chart = nullptr;
  QValueAxis* m_xAxis = nullptr;
  QValueAxis* m_yAxis = nullptr;
  QChartView* m_chartView = nullptr;
  QComboBox* m_metric = nullptr;
  QLabel* m_hint = nullptr;
  QPushButton* m_pngButton = nullptr;
  QPushButton* m_svgButton = nullptr;
  QPushButton* m_csvButton = nullptr;
  QTimer* m_chartTimer = nullptr;
  bool m_filling = false;  // the table is being filled: its item changes are not ticks
};

}  // namespace dl
