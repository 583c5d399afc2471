#pragma once
// The main window as the window tests drive it: shown, its embedded data loaded, and never a modal
// question (unsaved changes are discarded and Train starts afresh unless a test says otherwise).
// Returns null (with a test failure's reason in *why) when the window did not come up.

#include "MainWindow.h"

#include <QTest>

#include <memory>

inline std::unique_ptr<dl::MainWindow> openTestWindow(QString* why) {
  auto window = std::make_unique<dl::MainWindow>();
  window->show();
  if (!QTest::qWaitForWindowExposed(window.get())) {
    *why = QStringLiteral("the window was not exposed");
    return nullptr;
  }
  if (!QTest::qWaitFor([&] { return window->dataset() != nullptr; }, 30000)) {
    *why = QStringLiteral("the embedded data did not load within 30 s");
    return nullptr;
  }
  window->setUnsavedChangesPrompt([](const QString&) { return dl::MainWindow::UnsavedChoice::Discard; });
  window->setContinuePrompt([](int) { return dl::MainWindow::ContinueChoice::Afresh; });
  return window;
}
