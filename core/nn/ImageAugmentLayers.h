#pragma once
// Keras 3's geometric image augmentation layers: RandomRotation, RandomTranslation, RandomZoom
// (keras/src/layers/preprocessing/image_preprocessing/random_rotation.py, random_translation.py,
// random_zoom.py). Active only in training: the identity in inference, like Dropout.
//
// Each draws one affine transform per sample and resamples the image with it, as
// keras.ops.image.affine_transform does: the transform maps an OUTPUT pixel (x, y) (x = column,
// y = row, pixel centres at integers) to the INPUT point
//     x' = a0*x + a1*y + a2,    y' = b0*x + b1*y + b2,
// read with bilinear (or nearest) interpolation from the input extended beyond its edges by the
// fill mode (keras/src/backend/numpy/image.py: map_coordinates pads the image with np.pad, then
// interpolates the padded one):
//     reflect  (d c b a | a b c d | d c b a)   about the edge of the last pixel (Keras's default)
//     wrap     (a b c d | a b c d | a b c d)
//     nearest  (a a a a | a b c d | d d d d)
//     constant (k k k k | a b c d | k k k k)   k = fill_value
// Backward is the transpose of that sampling (each output's gradient goes back to the input
// pixels it was read from, with the same weights), so the layer may sit anywhere in a stack.
//
// Draws come from the seed the factory gets (the run's seed), one per sample per batch; Keras's
// `seed` argument is accepted and ignored (as Dropout's). No allocation per batch in steady state.

#include "nn/Layer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dl {

// One sample's transform, in affine_transform's [a0, a1, a2, b0, b1, b2] (c0 = c1 = 0).
struct AffineTransform {
  double a0 = 1, a1 = 0, a2 = 0, b0 = 0, b1 = 1, b2 = 0;
};

enum class FillMode { Reflect, Wrap, Nearest, Constant };
enum class Interpolation { Nearest, Bilinear };

// "reflect", "wrap", "nearest", "constant" (Keras's names); throws SpecError otherwise.
FillMode fillModeFromName(const std::string& name);
Interpolation interpolationFromName(const std::string& name);

// The resampling shared by the three layers.
class ImageAffineLayer : public Layer {
 public:
  ImageAffineLayer(FillMode fill, Interpolation interpolation, double fillValue, uint64_t seed);

  void build(const Shape& inputShape, Rng& rng) override;
  Shape outputShape() const override { return m_shape; }
  // training: a transform drawn per sample, then resampled; inference: x itself.
  const Matrix& forward(const Matrix& x, bool training) override;
  void backward(const Matrix& dy, Matrix* dx) override;

  // The forward pass with given transforms (one per row of x) instead of random ones: what
  // training does after its draws. Backward then works on this pass.
  const Matrix& forwardWith(const Matrix& x, const std::vector<AffineTransform>& transforms);
  // The transforms of the last training-mode forward pass.
  const std::vector<AffineTransform>& lastTransforms() const { return m_transforms; }

 protected:
  // One sample's random transform for an image of height h and width w.
  virtual AffineTransform draw(int h, int w) = 0;
  // Uniform in [lo, hi), from the layer's own generator.
  double uniform(double lo, double hi);

 private:
  void resample(const Matrix& x);

  FillMode m_fill;
  Interpolation m_interpolation;
  float m_fillValue;
  uint64_t m_state;
  Shape m_shape;
  int m_h = 0, m_w = 0, m_c = 0;
  bool m_active = false;  // the last forward resampled (training)
  std::vector<AffineTransform> m_transforms;
  Matrix m_y;
};

// RandomRotation(factor): angle uniform in [lower, upper] * 2*pi, about the image centre
// ((w - 1) / 2, (h - 1) / 2); positive is counter-clockwise on the screen.
class RandomRotationLayer : public ImageAffineLayer {
 public:
  RandomRotationLayer(double lower, double upper, FillMode fill, Interpolation interpolation, double fillValue,
                      uint64_t seed)
      : ImageAffineLayer(fill, interpolation, fillValue, seed), m_lower(lower), m_upper(upper) {}
  const char* className() const override { return "RandomRotation"; }
  // Keras's rotation matrix for an angle in radians.
  static AffineTransform rotation(double angle, int h, int w);

 protected:
  AffineTransform draw(int h, int w) override;

 private:
  double m_lower, m_upper;
};

// RandomTranslation(height_factor, width_factor): shifts by uniform fractions of the height and
// width (positive: down and right), drawn height first.
class RandomTranslationLayer : public ImageAffineLayer {
 public:
  RandomTranslationLayer(double hLower, double hUpper, double wLower, double wUpper, FillMode fill,
                         Interpolation interpolation, double fillValue, uint64_t seed)
      : ImageAffineLayer(fill, interpolation, fillValue, seed), m_h{hLower, hUpper}, m_w{wLower, wUpper} {}
  const char* className() const override { return "RandomTranslation"; }
  // Keras's translation matrix for a shift of dy rows and dx columns.
  static AffineTransform translation(double dy, double dx);

 protected:
  AffineTransform draw(int h, int w) override;

 private:
  double m_h[2], m_w[2];
};

// RandomZoom(height_factor, width_factor): zoom 1 + uniform(factor) per axis about the centre
// (above 1 zooms out, below 1 zooms in); without a width factor the width zoom is the height's.
class RandomZoomLayer : public ImageAffineLayer {
 public:
  RandomZoomLayer(double hLower, double hUpper, bool sameWidth, double wLower, double wUpper, FillMode fill,
                  Interpolation interpolation, double fillValue, uint64_t seed)
      : ImageAffineLayer(fill, interpolation, fillValue, seed),
        m_h{hLower, hUpper},
        m_w{wLower, wUpper},
        m_sameWidth(sameWidth) {}
  const char* className() const override { return "RandomZoom"; }
  // Keras's zoom matrix for zoom factors zy (height) and zx (width).
  static AffineTransform zoom(double zy, double zx, int h, int w);

 protected:
  AffineTransform draw(int h, int w) override;

 private:
  double m_h[2], m_w[2];
  bool m_sameWidth;
};

}  // namespace dl
