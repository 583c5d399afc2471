#pragma once
// Tests that need particular screens (sizes, a 200% one) run the offscreen platform with a screen
// configuration: OffscreenScreens, constructed in main() before the QApplication, writes the
// configuration and points QT_QPA_PLATFORM at it; `scaleFactors` ("Normal=1;Dense=2") goes to
// QT_SCREEN_SCALE_FACTORS. Keep it alive while the application runs.
//
//   OffscreenScreens screens({{"Small", 1280, 720}, {"Dense", 2560, 1440}}, "Small=1;Dense=2");
//   QApplication app(argc, argv);

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <initializer_list>

class OffscreenScreens {
 public:
  struct Screen {
    const char* name;
    int width;
    int height;
  };

  // The screens side by side, left to right, in device pixels.
  OffscreenScreens(std::initializer_list<Screen> screens, const char* scaleFactors) {
    QByteArray json = "{\"screens\": [";
    int x = 0;
    for (const Screen& s : screens) {
      if (x > 0) json += ",";
      json += QStringLiteral(R"({"name": "%1", "x": %2, "y": 0, "width": %3, "height": %4, "logicalDpi": 96, )"
                             R"("logicalBaseDpi": 96})")
                  .arg(QLatin1String(s.name))
                  .arg(x)
                  .arg(s.width)
                  .arg(s.height)
                  .toUtf8();
      x += s.width;
    }
    json += "]}";
    const QString config = m_dir.filePath(QStringLiteral("screens.json"));
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly)) return;
    f.write(json);
    f.close();
    qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    qputenv("QT_SCREEN_SCALE_FACTORS", scaleFactors);
  }

 private:
  QTemporaryDir m_dir;
};
