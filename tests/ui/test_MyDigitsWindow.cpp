// My digits through the window as a person uses them: a digit drawn on the canvas with real mouse
// strokes, its label typed with real keys and "Add to my digits" clicked lands in the IDX files on
// disk and in the Data tab; relabel and delete there with keys, clicks and the context menu are
// saved at once; damaged files are kept and can be moved aside; every run scores my digits per
// epoch (the worker's myDigitsEvaluated, the charts' third line) and Fine-tune on my digits
// continues the model on MNIST plus them.
//
// HOME points at a temporary folder and QStandardPaths' test mode is on: the user's own digits
// (and settings) are never touched.

#include "AppSettings.h"
#include "DatasetBrowser.h"
#include "DigitPanel.h"
#include "DrawingCanvas.h"
#include "ModelBuilder.h"
#include "MyDigitsBar.h"
#include "MyDigitsStore.h"
#include "MyDigitsView.h"
#include "QuietOffscreen.h"
#include "TestDatasets.h"
#include "TrainingCharts.h"
#include "TrainingController.h"
#include "TrainingPanel.h"
#include "WindowTesting.h"
#include "data/IdxReader.h"
#include "data/MyDigits.h"
#include "nn/Model.h"
#include "train/MixedSource.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QtCharts/QXYSeries>

#include <algorithm>
#include <cmath>
#include <memory>
#include <variant>

using namespace dl;

namespace {

void drawStroke(DrawingCanvas* canvas, const QList<QPointF>& unitPoints) {
  const QRect r = canvas->canvasRect();
  auto at = [&](QPointF u) { return (QPointF(r.topLeft()) + u * r.width()).toPoint(); };
  QTest::mousePress(canvas, Qt::LeftButton, {}, at(unitPoints.first()));
  for (qsizetype i = 1; i < unitPoints.size(); ++i) QTest::mouseMove(canvas, at(unitPoints[i]));
  QTest::mouseRelease(canvas, Qt::LeftButton, {}, at(unitPoints.last()));
}

QList<QPointF> verticalStroke() {
  QList<QPointF> pts;
  for (int i = 0; i <= 12; ++i) pts << QPointF(0.45, 0.15 + 0.7 * i / 12);
  return pts;
}

QList<QPointF> zigzag() { return {{0.25, 0.2}, {0.75, 0.2}, {0.3, 0.8}, {0.75, 0.8}}; }

QByteArray fileBytes(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// What is on disk now (an empty Dataset when there are no files).
Dataset onDisk() {
  MyDigits m(settings::myDigitsFolder().toStdString());
  m.load();
  return m.digits();
}

void selectMyDigitsInDataTab(MainWindow& w) {
  QTabBar* bar = w.tabs()->tabBar();
  for (int i = 0; i < bar->count(); ++i)
    if (bar->tabText(i).remove(QLatin1Char('&')) == QLatin1String("Data"))
      QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(i).center());
  QComboBox* choice = w.dataBrowser()->viewChoice();
  QVERIFY(choice->isVisible());
  choice->setFocus();
  QTest::keyClick(choice, Qt::Key_Down);  // "Loaded dataset" -> "My digits"
  QVERIFY(w.dataBrowser()->isShowingMyDigits());
}

void clickItem(QListView* list, int row, Qt::KeyboardModifiers modifiers = {}) {
  const QRect r = list->visualRect(list->model()->index(row, 0));
  QTest::mouseClick(list->viewport(), Qt::LeftButton, modifiers, r.center());
}

}  // namespace

class TestMyDigitsWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_home.isValid());
    qputenv("HOME", m_home.path().toLocal8Bit());
    QStandardPaths::setTestModeEnabled(true);
    quietOffscreen();
    QVERIFY2(settings::myDigitsFolder().startsWith(m_home.path()), qPrintable(settings::myDigitsFolder()));
    m_data = std::make_shared<const DatasetPair>(loadDataset("embedded"));
  }
  void init() { QDir(settings::myDigitsFolder()).removeRecursively(); }

  void drawTypeAndAddSavesTheDigitAndTheDataTabShowsIt() {
    QString why;
    auto w = openTestWindow(&why);
    QVERIFY2(w, qPrintable(why));
    DigitPanel* panel = w->digitPanel();
    auto* label = panel->findChild<QLineEdit*>(QStringLiteral("myDigitLabel"));
    auto* add = panel->findChild<QPushButton*>(QStringLiteral("addToMyDigitsButton"));
    auto* count = panel->findChild<QLabel*>(QStringLiteral("myDigitsCount"));
    QVERIFY(label && add && count);
    QCOMPARE(count->text(), QStringLiteral("0 of my digits"));

    drawStroke(panel->canvas(), verticalStroke());
    QVERIFY(!panel->currentDigit().empty);
    const auto pixels = panel->currentDigit().pixels;
    QTest::mouseClick(label, Qt::LeftButton);
    QTest::keyClick(label, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(label, Qt::Key_Backspace);
    QTest::keyClick(label, Qt::Key_X);  // refused: the label is one digit
    QTest::keyClick(label, Qt::Key_7);
    QCOMPARE(label->text(), QStringLiteral("7"));
    QTest::mouseClick(add, Qt::LeftButton);

    const MyDigits paths(settings::myDigitsFolder().toStdString());
    const Dataset d = readIdxPair(paths.imagesPath(), paths.labelsPath());
    QCOMPARE(d.count, 1);
    QCOMPARE(int(d.labels[0]), 7);
    for (int i = 0; i < DigitInput::kPixels; ++i)
      QCOMPARE(d.images[size_t(i)], float(std::lround(pixels[size_t(i)] * 255.0f)) / 255.0f);
    QVERIFY(panel->canvas()->isEmpty());  // ready for the next digit
    QCOMPARE(count->text(), QStringLiteral("1 of my digits"));

    selectMyDigitsInDataTab(*w);
    QListView* list = w->dataBrowser()->myDigitsView()->list();
    QVERIFY(list->isVisible());
    QCOMPARE(list->model()->rowCount(), 1);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("7"));
    QVERIFY(!list->model()->index(0, 0).data(Qt::DecorationRole).value<QPixmap>().isNull());

    // A second digit drawn meanwhile shows up there at once.
    drawStroke(panel->canvas(), zigzag());
    QTest::mouseClick(label, Qt::LeftButton);
    QTest::keyClick(label, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(label, Qt::Key_2);
    QTest::keyClick(label, Qt::Key_Return);  // Enter in the field adds too
    QCOMPARE(list->model()->rowCount(), 2);
    QCOMPARE(list->model()->index(1, 0).data().toString(), QStringLiteral("2"));
    QCOMPARE(onDisk().count, 2);
  }

  void aDigitKeyAndEnterOnTheCanvasAdd() {
    MyDigitsStore store(settings::myDigitsFolder());
    DigitPanel panel;
    panel.myDigitsBar()->setStore(&store);
    panel.resize(320, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* add = panel.findChild<QPushButton*>(QStringLiteral("addToMyDigitsButton"));

    // Nothing drawn: nothing added, and the row says why.
    QTest::keyClick(panel.canvas(), Qt::Key_4);
    QTest::keyClick(panel.canvas(), Qt::Key_Return);
    QCOMPARE(store.count(), 0);
    QCOMPARE(panel.myDigitsBar()->message(), QStringLiteral("Draw a digit first."));

    drawStroke(panel.canvas(), verticalStroke());
    QTest::keyClick(panel.canvas(), Qt::Key_3);
    QCOMPARE(panel.myDigitsBar()->label(), 3);
    QTest::keyClick(panel.canvas(), Qt::Key_Enter, Qt::KeypadModifier);
    QCOMPARE(onDisk().count, 1);
    QCOMPARE(int(onDisk().labels[0]), 3);
    QVERIFY(panel.canvas()->isEmpty());

    // No label: refused, with the reason.
    drawStroke(panel.canvas(), verticalStroke());
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(store.count(), 1);
    QVERIFY(panel.myDigitsBar()->message().contains(QStringLiteral("label")));
  }

  void theNetworksGuessFillsTheLabelUntilOneIsTyped() {
    MyDigitsStore store(settings::myDigitsFolder());
    DigitPanel panel;
    panel.myDigitsBar()->setStore(&store);
    const ModelSpec spec = presetMlp();
    Model model(spec, 3);
    panel.setModel(spec, model.weights());
    panel.resize(320, 700);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    auto* label = panel.findChild<QLineEdit*>(QStringLiteral("myDigitLabel"));
    drawStroke(panel.canvas(), verticalStroke());
    QVERIFY(panel.predictedClass() >= 0);
    QCOMPARE(label->text(), QString::number(panel.predictedClass()));
    const int typed = (panel.predictedClass() + 1) % 10;
    QTest::keyClick(panel.canvas(), char('0' + typed));
    drawStroke(panel.canvas(), zigzag());  // a new prediction does not overwrite what was typed
    QCOMPARE(label->text(), QString::number(typed));
    QTest::keyClick(panel.canvas(), Qt::Key_Return);
    QCOMPARE(int(onDisk().labels.at(0)), typed);
  }

  void relabelAndDeleteInTheDataTabAreSavedAtOnce() {
    {
      MyDigits mine(settings::myDigitsFolder().toStdString());
      mine.load();
      for (int i = 0; i < 4; ++i) mine.add(m_data->test.image(i), m_data->test.labels[size_t(i)]);
    }
    QString why;
    auto w = openTestWindow(&why);
    QVERIFY2(w, qPrintable(why));
    selectMyDigitsInDataTab(*w);
    MyDigitsView* view = w->dataBrowser()->myDigitsView();
    QListView* list = view->list();
    QCOMPARE(list->model()->rowCount(), 4);

    // Ctrl+Z in the list undoes my digits' change, not the model's last edit (Edit > Undo).
    const int original = m_data->test.labels[0];
    clickItem(list, 0);
    QTest::keyClick(list, Qt::Key_5);
    QCOMPARE(int(onDisk().labels[0]), 5);
    w->applyPreset(QStringLiteral("cnn"));  // an undoable model edit
    const size_t layers = w->builder()->spec().layers.size();
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(int(onDisk().labels[0]), original);
    QCOMPARE(w->builder()->spec().layers.size(), layers);
    auto* undo = view->findChild<QPushButton*>(QStringLiteral("undoMyDigitsButton"));
    QVERIFY(!undo->isEnabled());  // nothing more to undo

    clickItem(list, 0);
    QTest::keyClick(list, Qt::Key_5);
    QCOMPARE(int(onDisk().labels[0]), 5);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("5"));

    clickItem(list, 1);
    clickItem(list, 2, Qt::ControlModifier);
    QCOMPARE(view->selectedIndices(), (std::vector<int>{1, 2}));
    QTest::keyClick(list, Qt::Key_Delete);
    Dataset d = onDisk();
    QCOMPARE(d.count, 2);
    QCOMPARE(int(d.labels[0]), 5);
    QCOMPARE(int(d.labels[1]), int(m_data->test.labels[3]));
    // The digits left are the first and the fourth, pixel for pixel.
    QVERIFY(std::equal(d.image(1), d.image(1) + DigitInput::kPixels, m_data->test.image(3)));

    // The context menu: Relabel as > 8 on the last digit, with keys in the real menus.
    const int last = 1;
    bool menuSeen = false;
    QTimer::singleShot(50, this, [&menuSeen] {
      auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
      if (!menu) return;
      menuSeen = true;
      menu->setActiveAction(menu->actions().at(0));  // "Relabel as"
      QTest::keyClick(menu, Qt::Key_Right);          // opens the submenu
      QTimer::singleShot(50, menu, [] {
        auto* sub = qobject_cast<QMenu*>(QApplication::activePopupWidget());
        if (!sub) return;
        sub->setActiveAction(sub->actions().at(8));
        QTest::keyClick(sub, Qt::Key_Return);
      });
    });
    const QRect r = list->visualRect(list->model()->index(last, 0));
    QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, r.center(), list->viewport()->mapToGlobal(r.center()));
    QApplication::sendEvent(list->viewport(), &menuEvent);
    QVERIFY(menuSeen);
    QTRY_COMPARE(int(onDisk().labels.at(size_t(last))), 8);
    QCOMPARE(int(onDisk().labels.at(0)), 5);

    // The Delete button removes the selection; the last one gone, the files go too.
    clickItem(list, 0);
    clickItem(list, 1, Qt::ShiftModifier);
    QTest::mouseClick(view->findChild<QPushButton*>(QStringLiteral("deleteMyDigitsButton")), Qt::LeftButton);
    QCOMPARE(onDisk().count, 0);
    QVERIFY(!QFile::exists(QString::fromStdString(MyDigits(settings::myDigitsFolder().toStdString()).imagesPath())));
    QCOMPARE(list->model()->rowCount(), 0);
    // The Undo button brings them back, on disk too.
    QVERIFY(undo->isEnabled());
    QCOMPARE(undo->text(), QStringLiteral("Undo delete"));
    QTest::mouseClick(undo, Qt::LeftButton);
    QCOMPARE(onDisk().count, 2);
    QCOMPARE(list->model()->rowCount(), 2);
    QCOMPARE(int(onDisk().labels[1]), 8);
  }

  void damagedFilesAreKeptAndCanBeMovedAside() {
    const MyDigits paths(settings::myDigitsFolder().toStdString());
    QVERIFY(QDir().mkpath(settings::myDigitsFolder()));
    const QString images = QString::fromStdString(paths.imagesPath());
    const QString labels = QString::fromStdString(paths.labelsPath());
    const QByteArray garbage("this is not an IDX file");
    const QByteArray goodLabels = QByteArray::fromHex("000008010000000103");
    for (auto [path, bytes] : {std::pair{images, garbage}, std::pair{labels, goodLabels}}) {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(bytes);
    }
    QString why;
    auto w = openTestWindow(&why);
    QVERIFY2(w, qPrintable(why));
    DigitPanel* panel = w->digitPanel();
    auto* count = panel->findChild<QLabel*>(QStringLiteral("myDigitsCount"));
    auto* add = panel->findChild<QPushButton*>(QStringLiteral("addToMyDigitsButton"));
    auto* moveAside = panel->findChild<QPushButton*>(QStringLiteral("moveMyDigitsAsideButton"));
    QVERIFY(count->text().contains(images));
    QVERIFY(count->text().contains(QStringLiteral("magic")));
    QVERIFY(!add->isEnabled());
    QVERIFY(moveAside->isVisible());
    QVERIFY(panel->minimumSizeHint().width() <= 260);  // the long error wraps

    drawStroke(panel->canvas(), verticalStroke());
    QTest::keyClick(panel->canvas(), Qt::Key_1);
    QTest::keyClick(panel->canvas(), Qt::Key_Return);
    QCOMPARE(fileBytes(images), garbage);  // never overwritten
    QCOMPARE(fileBytes(labels), goodLabels);
    QVERIFY(panel->myDigitsBar()->message().contains(images));

    QTest::mouseClick(moveAside, Qt::LeftButton);
    QCOMPARE(fileBytes(images + QStringLiteral(".corrupt")), garbage);
    QCOMPARE(fileBytes(labels + QStringLiteral(".corrupt")), goodLabels);
    QVERIFY(panel->myDigitsBar()->message().contains(QStringLiteral(".corrupt")));
    QCOMPARE(count->text(), QStringLiteral("0 of my digits"));
    QVERIFY(add->isEnabled());
    QTest::keyClick(panel->canvas(), Qt::Key_1);
    QTest::keyClick(panel->canvas(), Qt::Key_Return);
    QCOMPARE(onDisk().count, 1);
  }

  // The worker scores my digits after every epoch, in inference mode, with that epoch's weights,
  // just before the epoch's epochFinished.
  void theWorkerReportsMyDigitAccuracyPerEpoch() {
    auto data = std::make_shared<DatasetPair>();
    data->train = test::firstRows(m_data->train, 600);
    data->test = test::firstRows(m_data->test, 100);
    data->classNames = m_data->classNames;
    TrainRequest r;
    r.spec = presetMlp();
    r.spec.training.epochs = 3;
    r.data = data;
    r.threads = 1;
    r.evaluateTrainSet = false;
    r.myDigits = std::make_shared<const Dataset>(test::firstRows(m_data->test, 40));

    TrainingController controller;
    using Event = std::variant<std::vector<Matrix>, std::pair<int, double>, EpochLog>;
    std::vector<Event> events;
    connect(&controller, &TrainingController::weightsSnapshot, this,
            [&](const ModelSpec&, const std::vector<Matrix>& w) { events.emplace_back(w); });
    connect(&controller, &TrainingController::myDigitsEvaluated, this, [&](int epoch, double accuracy) {
      events.emplace_back(std::pair{epoch, accuracy});
    });
    connect(&controller, &TrainingController::epochFinished, this, [&](const EpochLog& e) { events.emplace_back(e); });
    QSignalSpy finished(&controller, &TrainingController::finished);
    QVERIFY(controller.start(r));
    QVERIFY(finished.wait(60000));

    int reported = 0;
    std::vector<Matrix> latest;
    for (size_t i = 0; i < events.size(); ++i) {
      if (auto* w = std::get_if<std::vector<Matrix>>(&events[i])) latest = *w;
      if (auto* mine = std::get_if<std::pair<int, double>>(&events[i])) {
        ++reported;
        QCOMPARE(mine->first, reported);
        QVERIFY(i + 1 < events.size());
        const auto* next = std::get_if<EpochLog>(&events[i + 1]);
        QVERIFY2(next && next->epoch == mine->first, "myDigitsEvaluated comes just before its epochFinished");
        Model check(r.spec);
        check.setWeights(latest);
        const EvalResult expected = evaluate(check, *r.myDigits, 256);
        QCOMPARE(mine->second, expected.accuracy);
      }
    }
    QCOMPARE(reported, 3);

    // No digits of my own: no reports.
    TrainRequest none = r;
    none.myDigits = std::make_shared<const Dataset>();
    QSignalSpy mine(&controller, &TrainingController::myDigitsEvaluated);
    QVERIFY(controller.start(none));
    QVERIFY(finished.wait(60000));
    QCOMPARE(mine.count(), 0);

    // Digits of another size than the training images (a model for other images): not scored,
    // and the run is not disturbed.
    auto small = std::make_shared<Dataset>();
    small->rows = small->cols = 2;
    small->count = 1;
    small->images.assign(4, 1.0f);
    small->labels = {1};
    TrainRequest other = r;
    other.myDigits = small;
    QSignalSpy failed(&controller, &TrainingController::failed);
    QVERIFY(controller.start(other));
    QVERIFY(finished.wait(60000));
    QCOMPARE(mine.count(), 0);
    QCOMPARE(failed.count(), 0);
  }

  void trainingChartsMyDigitsAndFineTuneContinuesOnThem() {
    {
      MyDigits mine(settings::myDigitsFolder().toStdString());
      mine.load();
      for (int i = 0; i < 12; ++i) mine.add(m_data->test.image(i), m_data->test.labels[size_t(i)]);
    }
    QString why;
    auto w = openTestWindow(&why);
    QVERIFY2(w, qPrintable(why));
    QVERIFY(!w->fineTuneAction()->isEnabled());  // nothing trained yet
    QVERIFY(!w->digitPanel()->findChild<QToolButton*>(QStringLiteral("fineTuneButton"))->isVisible());
    QVERIFY(w->fineTuneAction()->toolTip().contains(QStringLiteral("Train")));
    w->applyPreset(QStringLiteral("mlp"));
    QSignalSpy finished(w->controller(), &TrainingController::finished);
    w->startAction()->trigger();
    QVERIFY(finished.wait(120000));
    const int trained = w->document().trainedEpochs();
    QVERIFY(trained >= 1);
    QCOMPARE(w->charts()->myDigitsPointCount(), trained);
    QTRY_COMPARE(w->charts()->myDigitsSeries()->count(), trained);

    QTRY_VERIFY(w->fineTuneAction()->isEnabled());
    // The drawing panel offers it now (my digits, a trained model): a real click there.
    auto* fineTune = w->digitPanel()->findChild<QToolButton*>(QStringLiteral("fineTuneButton"));
    QVERIFY(fineTune && fineTune->isVisible());
    QVERIFY(w->digitPanel()->minimumSizeHint().width() <= 260);  // still fits a narrow dock
    QTest::mouseClick(fineTune, Qt::LeftButton);
    QVERIFY(w->statusBar()->currentMessage().contains(QStringLiteral("plus 12 of my digits")));
    // 8,000 embedded digits and 12 of mine: each repeated round(0.15/0.85*8000/12) = 118 times.
    QVERIFY2(w->statusBar()->currentMessage().contains(QStringLiteral("each 118 times")),
             qPrintable(w->statusBar()->currentMessage()));
    QVERIFY(finished.wait(120000));
    QCOMPARE(w->document().trainedEpochs(), trained + kFineTuneEpochs);
    QCOMPARE(w->charts()->myDigitsPointCount(), trained + kFineTuneEpochs);
    // After two epochs with its 12 digits making 15 % of every epoch, the model reads them well.
    // The chart's series follows on its next redraw (the charts coalesce updates).
    QTRY_COMPARE(int(w->charts()->myDigitsSeries()->points().constLast().x()), trained + kFineTuneEpochs);
    const QPointF last = w->charts()->myDigitsSeries()->points().constLast();
    QVERIFY2(last.y() >= 0.9, qPrintable(QString::number(last.y())));
  }

  void myDigitsAsTheDatasetAndTheEmptyMessage() {
    QString why;
    auto w = openTestWindow(&why);
    QVERIFY2(w, qPrintable(why));
    QVERIFY(w->trainingPanel()->datasetChoices().contains(QStringLiteral("my")));
    // Its tooltip says what it is and where it lives, not the entry's key.
    auto* combo = w->trainingPanel()->findChild<QComboBox*>(QStringLiteral("datasetCombo"));
    QVERIFY(combo);
    const QString tip = combo->itemData(combo->findData(QStringLiteral("my")), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Add to my digits")) && tip.contains(QStringLiteral("my-digits")),
             qPrintable(tip));
    w->loadDataset(QStringLiteral("my"));
    QTRY_VERIFY(!w->isLoadingData());
    QCOMPARE(QString::fromStdString(w->dataset()->name), QStringLiteral("MNIST (embedded, 10,000 digits)"));
    auto* box = w->findChild<QWidget*>(QStringLiteral("dataErrorBox"));
    QTRY_VERIFY(box = w->findChild<QWidget*>(QStringLiteral("dataErrorBox")));
    bool said = false;
    for (QLabel* l : box->findChildren<QLabel*>())
      said = said || l->text().contains(QStringLiteral("My digits is empty: draw digits and press Add to my digits"));
    QVERIFY(said);
    box->close();

    w->myDigits()->add(m_data->test.image(0), m_data->test.labels[0]);
    w->loadDataset(QStringLiteral("my"));
    QTRY_COMPARE(QString::fromStdString(w->dataset()->name), QStringLiteral("My digits"));
    QCOMPARE(w->dataset()->train.count, 1);
    // Loaded as the dataset, it follows the digits as they are added.
    w->myDigits()->add(m_data->test.image(1), m_data->test.labels[1]);
    QTRY_COMPARE(w->dataset()->train.count, 2);
    QVERIFY(!w->fineTuneAction()->isEnabled());  // fine-tuning needs MNIST to add them to
  }

  void chartsShowTheMyDigitsLineAndForgetItOnReset() {
    TrainingCharts charts;
    charts.reset(3, 10);
    charts.addMyDigitsAccuracy(1, 0.5);
    charts.addMyDigitsAccuracy(2, 0.75);
    charts.refreshNow();
    QCOMPARE(charts.myDigitsSeries()->count(), 2);
    QCOMPARE(charts.myDigitsSeries()->at(1), QPointF(2, 0.75));
    bool inLegend = false;
    for (QLabel* l : charts.findChildren<QLabel*>())
      inLegend = inLegend || l->text().contains(QStringLiteral("my&nbsp;digits&nbsp;(epoch)"));
    QVERIFY(inLegend);
    charts.reset(2, 10);
    charts.refreshNow();
    QCOMPARE(charts.myDigitsPointCount(), 0);
    QCOMPARE(charts.myDigitsSeries()->count(), 0);
  }

 private:
  QTemporaryDir m_home;
  std::shared_ptr<const DatasetPair> m_data;
};

QTEST_MAIN(TestMyDigitsWindow)
#include "test_MyDigitsWindow.moc"
