#pragma once
// The offscreen platform warns "This plugin does not support propagateSizeHints()" each time a
// window's size constraints change (a label shown, a fixed height updated); it says nothing about
// DigitLab and buries real warnings. quietOffscreen() drops that one message and passes every
// other one on to Qt Test's own handler. Call it from initTestCase().

#include <QString>
#include <QtGlobal>

inline QtMessageHandler& previousMessageHandler() {
  static QtMessageHandler handler = nullptr;
  return handler;
}

inline void quietOffscreenHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (message.contains(QLatin1String("does not support propagateSizeHints"))) return;
  if (QtMessageHandler previous = previousMessageHandler()) previous(type, context, message);
}

inline void quietOffscreen() { previousMessageHandler() = qInstallMessageHandler(quietOffscreenHandler); }
