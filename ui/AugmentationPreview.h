#pragma once
// What a model's augmentation layers do to the training digits, so a person sees what
// "RandomRotation factor 0.1" means: a few training digits as the data holds them (top row) and,
// under each, three draws of the augmentation layers at the start of the model up to the selected
// one, run exactly as training runs them (the core's own layers in training mode). A click on
// the grid or on "Roll again" draws new transforms.
//
// The model builder shows it under the property editor while an augmentation layer is selected.

#include "nn/ModelSpec.h"

#include <QImage>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <utility>
#include <vector>

class QLabel;
class QPushButton;

namespace dl {

// The output of layers 0..last of `spec` in training mode for n images (each spec.inputShape's
// size, one after another), drawn with `seed`. Every layer up to `last` must be an augmentation
// layer (isAugmentationKind); throws SpecError otherwise or when the layers cannot be built.
std::vector<float> augmentImages(const ModelSpec& spec, int last, const float* images, int n, uint64_t seed);

// The augmentation layers at the start of the model: the index of the last of them when `row`
// is one of them, else -1 (the selected layer is not an augmentation layer, or a layer of another
// kind comes before it).
int augmentationPrefixEnd(const ModelSpec& spec, int row);

class AugmentationPreview : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kDraws = 3;  // rows of transformed digits under the originals

  explicit AugmentationPreview(QWidget* parent = nullptr);

  // A few training digits (count images of rows x cols grey levels in [0, 1]).
  void setImages(std::vector<float> pixels, int count, int rows, int cols);
  // The model and the selected layer; hides itself unless that layer is an augmentation layer.
  // The grid shows when it is at the start of the model (augmentationPrefixEnd()), a note when
  // other layers come before it.
  void setModel(const ModelSpec& spec, int selectedRow);
  // New transforms.
  void reroll();

  int imageCount() const { return m_count; }
  uint64_t seed() const { return m_seed; }
  // The grid as drawn: one column per digit shown (as many of the digits as fit the width), the
  // originals on top (28x28 pixels per cell, 2 px gaps), shown scaled by a whole factor.
  const QImage& grid() const { return m_grid; }
  // Why there is no grid ("" when there is one).
  QString problem() const;

 protected:
  void mousePressEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void render();
  void showGrid();
  std::pair<int, int> fit(int available) const;  // digits shown and scale

  std::vector<float> m_pixels;
  int m_count = 0, m_rows = 28, m_cols = 28;
  ModelSpec m_spec;
  int m_last = -1;
  bool m_afterOtherLayers = false;
  uint64_t m_seed = 1;
  int m_shown = 0, m_scale = 1;
  QImage m_grid;
  QLabel* m_title = nullptr;
  QLabel* m_picture = nullptr;
  QLabel* m_problem = nullptr;
  QPushButton* m_roll = nullptr;
};

}  // namespace dl
