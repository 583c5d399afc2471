#pragma once
// What the layer diagram shows, as Keras's plot_model takes it (show_shapes, show_layer_names,
// show_layer_activations, rankdir, dpi) plus a parameter count per layer. Defaults follow
// tf.keras's plot_model (layer names on, dpi 96), which keeps on-screen text at its natural size;
// Keras 3 defaults to names off and dpi 200.

#include <QString>

namespace dl {

// Graphviz's rankdir: the axis the layers follow.
enum class RankDir { TopToBottom, LeftToRight };

// "TB" / "LR" (any case) to a RankDir; false for anything else.
inline bool rankDirFromString(const QString& text, RankDir* dir) {
  const QString t = text.trimmed().toUpper();
  if (t == QLatin1String("TB"))
    *dir = RankDir::TopToBottom;
  else if (t == QLatin1String("LR"))
    *dir = RankDir::LeftToRight;
  else
    return false;
  return true;
}

inline const char* rankDirName(RankDir dir) { return dir == RankDir::LeftToRight ? "LR" : "TB"; }

struct DiagramOptions {
  bool showShapes = false;       // an "Input shape" | "Output shape" table with the two shapes
  bool showLayerNames = true;    // title "dense_1: Dense" instead of "Dense"
  bool showActivations = false;  // "Activation: relu" row (Dense, Conv2D, Activation)
  bool showParams = false;       // "Params: 157,000" row
  RankDir rankdir = RankDir::TopToBottom;
  int dpi = 96;  // 96 = one pixel per CSS pixel; a PNG scales by dpi / 96 (SVG does not)

  bool operator==(const DiagramOptions&) const = default;
};

}  // namespace dl
