#pragma once
// What the property editor (LayerPropertyEditor) says about an argument: its tooltips (a
// hand-written one for the keys the registry has, else one made from the argument's type and
// range) and the choices of a combo box. Translated in the dl::LayerPropertyEditor context.

#include <QString>
#include <QStringList>

#include <utility>

namespace dl {

struct LayerArg;

// What a row's widgets say in their tooltips: the row, and for a pair each of its two spin boxes.
struct Tips {
  Tips() = default;
  Tips(QString r, QString f = {}, QString s = {}) : row(std::move(r)), first(std::move(f)), second(std::move(s)) {}
  QString row, first, second;
};

Tips tipsFor(const LayerArg& a);
QStringList choicesOf(const LayerArg& a);
// A number as the tooltips write it: 0.2, 65536, 1e-06.
QString tipNumber(double v);

}  // namespace dl
