// Layer outputs and saliency maps of one input, from the model's own layers (see Inspection.h).
//
// Gradients come from Model::backwardFrom, i.e. every layer's own backward pass after an
// inference-mode forward: Dropout, GaussianNoise and the augmentation layers pass the gradient
// through unchanged (they were identities), BatchNormalization uses its moving statistics
// (dx = gamma / sqrt(moving_variance + eps) dy), the activations differentiate their outputs.

#include "nn/Inspection.h"

#include "nn/Activations.h"

#include <algorithm>
#include <cmath>

namespace dl {

bool imageShape(const Shape& shape, int* height, int* width, int* channels) {
  int h = 0, w = 0, c = 1;
  if (shape.size() == 3 || shape.size() == 2) {
    h = shape[0];
    w = shape[1];
    c = shape.size() == 3 ? shape[2] : 1;
  } else if (shape.size() == 1) {
    const int side = int(std::lround(std::sqrt(double(shape[0]))));
    if (side < 2 || side * side != shape[0]) return false;
    h = w = side;
  } else {
    return false;
  }
  if (h < 1 || w < 1 || c < 1) return false;
  if (height) *height = h;
  if (width) *width = w;
  if (channels) *channels = c;
  return true;
}

namespace {

std::string shapeText(const Shape& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::string layerList(const Model& model) {
  std::string s;
  for (const auto& l : model.layers()) s += (s.empty() ? "" : ", ") + l->name();
  return s;
}

// The model's output for one forwarded sample: softmax of the logits when it is fused.
Eigen::RowVectorXf outputOf(const Model& model, const Matrix& logits) {
  if (!model.softmaxOutput()) return logits.row(0);
  Matrix p;
  softmaxRows(logits, p);
  return p.row(0);
}

int chooseClass(const Model& model, const Eigen::RowVectorXf& output, int requested) {
  if (requested < 0) {
    Eigen::Index best = 0;
    output.maxCoeff(&best);
    return int(best);
  }
  if (requested >= model.numClasses())
    throw SpecError("class " + std::to_string(requested) + " is out of range: the model has " +
                    std::to_string(model.numClasses()) + " classes (0-" + std::to_string(model.numClasses() - 1) + ")");
  return requested;
}

// The sorted starts of the patches along an axis of n pixels: every `stride`, plus one flush with
// the far edge, so every pixel is covered.
std::vector<int> patchStarts(int n, int patch, int stride) {
  std::vector<int> starts;
  if (patch >= n) return {0};
  for (int s = 0; s + patch <= n; s += stride) starts.push_back(s);
  if (starts.back() + patch < n) starts.push_back(n - patch);
  return starts;
}

// Bilinear resize of a (h, w) plane to (H, W) with half-pixel centres, as tf.image.resize
// (keras.ops.image.resize, "bilinear") does: output pixel y samples source (y + 0.5) h / H - 0.5,
// clamped to the source's edge pixels.
std::vector<float> resizeBilinear(const std::vector<float>& src, int h, int w, int outH, int outW) {
  std::vector<float> out(size_t(outH) * outW);
  auto axis = [](int o, int in, int outN, int* i0, int* i1, float* f) {
    const double s = std::clamp((o + 0.5) * in / outN - 0.5, 0.0, double(in - 1));
    *i0 = int(std::floor(s));
    *i1 = std::min(*i0 + 1, in - 1);
    *f = float(s - *i0);
  };
  for (int y = 0; y < outH; ++y) {
    int y0, y1;
    float fy;
    axis(y, h, outH, &y0, &y1, &fy);
    for (int x = 0; x < outW; ++x) {
      int x0, x1;
      float fx;
      axis(x, w, outW, &x0, &x1, &fx);
      const float top = src[size_t(y0) * w + x0] * (1 - fx) + src[size_t(y0) * w + x1] * fx;
      const float bottom = src[size_t(y1) * w + x0] * (1 - fx) + src[size_t(y1) * w + x1] * fx;
      out[size_t(y) * outW + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

size_t gradCamLayerIndex(const Model& model, const std::string& name) {
  const auto& layers = model.layers();
  if (name.empty()) {
    for (size_t i = layers.size(); i-- > 0;)
      if (std::string(layers[i]->className()) == "Conv2D") return i;
    throw SpecError("Grad-CAM needs a Conv2D layer, and " + model.spec().name +
                    " has none (layers: " + layerList(model) + ")");
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    if (layers[i]->name() != name) continue;
    if (std::string(layers[i]->className()) != "Conv2D") {
      std::string convs;
      for (const auto& l : layers)
        if (std::string(l->className()) == "Conv2D") convs += (convs.empty() ? "" : ", ") + l->name();
      throw SpecError(
          "Grad-CAM needs a Conv2D layer, and '" + name + "' is a " + layers[i]->className() + " layer" +
          (convs.empty() ? std::string(" (the model has no Conv2D layer)") : " (Conv2D layers: " + convs + ")"));
    }
    return i;
  }
  throw SpecError("no layer named '" + name + "'; layers: " + layerList(model));
}

}  // namespace

std::vector<LayerOutput> layerOutputs(Model& model, const float* input) {
  const Matrix x = ConstMatrixMap(input, 1, model.inputSize());
  const Matrix& logits = model.forwardInference(x);
  const auto& layers = model.layers();
  std::vector<LayerOutput> out(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) {
    out[i].name = layers[i]->name();
    out[i].className = layers[i]->className();
    out[i].shape = layers[i]->outputShape();
    const Matrix& y = model.layerOutput(i);
    out[i].values.assign(y.data(), y.data() + y.cols());
  }
  if (!layers.empty() && model.softmaxOutput()) {
    const Eigen::RowVectorXf p = outputOf(model, logits);
    out.back().values.assign(p.data(), p.data() + p.size());
  }
  return out;
}

SaliencyMap saliency(Model& model, const float* input, SaliencyMethod method, const SaliencyOptions& options) {
  const Shape& inShape = model.spec().inputShape;
  int h = 0, w = 0, c = 1;
  if (!imageShape(inShape, &h, &w, &c))
    throw SpecError("saliency needs an image input, and the model's input shape is " + shapeText(inShape));
  SaliencyMap map;
  map.method = method;
  map.height = h;
  map.width = w;
  // Validate what does not need a forward pass first.
  size_t camIndex = 0;
  if (method == SaliencyMethod::GradCam) camIndex = gradCamLayerIndex(model, options.gradCamLayer);
  if (method == SaliencyMethod::Occlusion && (options.occlusionPatch < 1 || options.occlusionStride < 1))
    throw SpecError("occlusion needs a patch and a stride of at least 1 pixel (got " +
                    std::to_string(options.occlusionPatch) + " and " + std::to_string(options.occlusionStride) + ")");

  const Matrix x = ConstMatrixMap(input, 1, model.inputSize());
  const Matrix& logits = model.forwardInference(x);
  const Eigen::RowVectorXf output = outputOf(model, logits);
  map.targetClass = chooseClass(model, output, options.targetClass);
  map.probability = output[map.targetClass];
  // The score differentiated: the logit of the class (pre-softmax), or the output itself.
  Matrix dScore = Matrix::Zero(1, model.numClasses());
  dScore(0, map.targetClass) = 1.0f;
  const size_t pixels = size_t(h) * w;
  map.values.assign(pixels, 0.0f);

  switch (method) {
    case SaliencyMethod::GradientXInput: {
      const Matrix& g = model.backwardFrom(dScore);
      for (size_t p = 0; p < pixels; ++p)
        for (int ch = 0; ch < c; ++ch) map.values[p] += g(0, Eigen::Index(p * c + ch)) * input[p * c + ch];
      break;
    }
    case SaliencyMethod::Occlusion: {
      // One batch holds every occluded copy: one predictBatch instead of one forward per patch.
      const int patchH = std::min(options.occlusionPatch, h), patchW = std::min(options.occlusionPatch, w);
      const std::vector<int> ys = patchStarts(h, patchH, options.occlusionStride);
      const std::vector<int> xs = patchStarts(w, patchW, options.occlusionStride);
      Matrix batch(Eigen::Index(ys.size() * xs.size()), model.inputSize());
      batch.rowwise() = x.row(0);
      Eigen::Index row = 0;
      for (int y0 : ys)
        for (int x0 : xs) {
          for (int y = y0; y < y0 + patchH; ++y)
            batch.row(row).segment(Eigen::Index(y * w + x0) * c, Eigen::Index(patchW) * c).setZero();
          ++row;
        }
      const Matrix& probs = model.predictBatch(batch);
      std::vector<int> covered(pixels, 0);
      row = 0;
      for (int y0 : ys)
        for (int x0 : xs) {
          const float drop = map.probability - probs(row++, map.targetClass);
          for (int y = y0; y < y0 + patchH; ++y)
            for (int xx = x0; xx < x0 + patchW; ++xx) {
              map.values[size_t(y) * w + xx] += drop;
              ++covered[size_t(y) * w + xx];
            }
        }
      for (size_t p = 0; p < pixels; ++p) map.values[p] /= float(covered[p]);
      break;
    }
    case SaliencyMethod::GradCam: {
      // Selvaraju et al. 2017, and keras-io examples/vision/grad_cam.py: the gradient of the score
      // at the layer's output A, averaged over the positions (one weight per channel), the weighted
      // sum of A's channels, ReLU. Not normalised (the pictures scale it); upsampled bilinearly.
      const auto& layers = model.layers();
      const Matrix* g = &dScore;
      if (camIndex + 1 < layers.size()) {
        model.backwardFrom(dScore, layers.size() - 1, camIndex + 1);
        g = &model.outputGradient(camIndex);
      }
      const Shape a = layers[camIndex]->outputShape();
      const int ch = a[2], positions = a[0] * a[1];
      const Matrix& act = model.layerOutput(camIndex);
      Eigen::RowVectorXf alpha = Eigen::RowVectorXf::Zero(ch);
      for (int p = 0; p < positions; ++p) alpha += g->row(0).segment(Eigen::Index(p) * ch, ch);
      alpha /= float(positions);
      map.layer = layers[camIndex]->name();
      map.camHeight = a[0];
      map.camWidth = a[1];
      map.cam.resize(size_t(positions));
      for (int p = 0; p < positions; ++p)
        map.cam[size_t(p)] = std::max(0.0f, act.row(0).segment(Eigen::Index(p) * ch, ch).dot(alpha));
      map.values = resizeBilinear(map.cam, a[0], a[1], h, w);
      break;
    }
  }
  return map;
}

const char* saliencyMethodName(SaliencyMethod method) {
  switch (method) {
    case SaliencyMethod::GradientXInput:
      return "gradxinput";
    case SaliencyMethod::Occlusion:
      return "occlusion";
    case SaliencyMethod::GradCam:
      return "gradcam";
  }
  return "";
}

bool parseSaliencyMethod(const std::string& name, SaliencyMethod* method) {
  for (SaliencyMethod m : {SaliencyMethod::GradientXInput, SaliencyMethod::Occlusion, SaliencyMethod::GradCam}) {
    if (name == saliencyMethodName(m)) {
      if (method) *method = m;
      return true;
    }
  }
  return false;
}

}  // namespace dl
