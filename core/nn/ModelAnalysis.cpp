// Shape inference, validation and the Keras-style summary table of a ModelSpec.
// Each kind's shape and parameter rule is its descriptor's (nn/LayerRegistry.h, nn/layers/).

#include "nn/ModelAnalysis.h"

#include "nn/LayerRegistry.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace dl {

namespace {

constexpr int64_t kMaxParams = 500000000;  // 2 GB of float32 weights
// Values one sample may hold in any layer's input or output: 32 MB of float32. Bounds memory per
// batch and keeps every size computation (Flatten, im2col rows) far inside int.
constexpr int64_t kMaxElements = int64_t(1) << 23;

// Infers one layer's output shape and parameter count by its kind's rule; returns an error text or "".
std::string inferLayer(const LayerSpec& l, const Shape& in, Shape* out, int64_t* params) {
  *params = 0;
  return layerKindInfo(l.kind).infer(l, in, out, params);
}

}  // namespace

ModelAnalysis analyze(const ModelSpec& spec, int numClasses) {
  ModelAnalysis a;
  const std::vector<std::string> names = layerNames(spec);
  auto fail = [&](int index, const std::string& why) {
    if (a.errorLayer >= 0 || !a.error.empty()) return;
    a.errorLayer = index;
    if (index >= 0) {
      a.layers[index].error = why;
      a.error = "Layer " + std::to_string(index + 1) + " '" + a.layers[index].name + "' (" + a.layers[index].className +
                "): " + why;
    } else {
      a.error = why;
    }
  };

  bool inputOk = !spec.inputShape.empty() && (spec.inputShape.size() == 1 || spec.inputShape.size() == 3);
  for (int d : spec.inputShape) inputOk = inputOk && d > 0 && d <= kMaxDim;
  if (!inputOk) {
    a.error = "input shape " + shapeToString(spec.inputShape) + " must be (pixels) or (height, width, channels)";
  } else if (shapeSize(spec.inputShape) > kMaxElements) {
    inputOk = false;
    a.error = "input shape " + shapeToString(spec.inputShape) + " holds " + withThousands(shapeSize(spec.inputShape)) +
              " values per sample, more than DigitLab supports (" + withThousands(kMaxElements) + ")";
  }

  Shape cur = spec.inputShape;
  bool valid = inputOk;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    LayerInfo info;
    info.name = names[i];
    info.className = layerKindName(spec.layers[i].kind);
    info.inputShape = valid ? cur : Shape{};
    a.layers.push_back(info);
    // Names become member paths in model files and must be unique, as Keras's Sequential
    // requires ("All layers added to a Sequential model should have unique names").
    std::string err = nameProblem(names[i]);
    if (!err.empty()) err = "its name \"" + names[i] + "\" " + err;
    for (size_t j = 0; j < i && err.empty(); ++j)
      if (names[j] == names[i])
        err = "the name '" + names[i] + "' is already used by layer " + std::to_string(j + 1) +
              "; layer names must be unique";
    if (!err.empty()) {
      fail(int(i), err);
      valid = false;
      continue;
    }
    if (!valid) continue;
    Shape out;
    int64_t params = 0;
    err = inferLayer(spec.layers[i], cur, &out, &params);
    if (err.empty()) {
      for (int d : out)
        if (d <= 0) err = "its output would be empty " + shapeToString(out);
    }
    if (err.empty() && shapeSize(out) > kMaxElements)
      err = "its output " + shapeToString(out) + " holds " + withThousands(shapeSize(out)) +
            " values per sample, more than DigitLab supports (" + withThousands(kMaxElements) + ")";
    if (!err.empty()) {
      fail(int(i), err);
      valid = false;
      continue;
    }
    a.layers[i].outputShape = out;
    a.layers[i].params = params;
    a.totalParams += params;
    if (const auto& nonTrainable = layerKindInfo(spec.layers[i].kind).nonTrainableParams) {
      a.layers[i].nonTrainableParams = nonTrainable(spec.layers[i], cur);
      a.nonTrainableParams += a.layers[i].nonTrainableParams;
    }
    cur = out;
  }
  if (spec.layers.empty() && a.error.empty()) a.error = "the model has no layers";
  if (a.totalParams > kMaxParams && a.error.empty()) {
    // Marked on the layer with the most parameters: that is the one to shrink.
    int biggest = 0;
    for (size_t i = 1; i < a.layers.size(); ++i)
      if (a.layers[i].params > a.layers[biggest].params) biggest = int(i);
    fail(biggest, "the model has " + withThousands(a.totalParams) + " parameters, more than DigitLab supports (" +
                      withThousands(kMaxParams) + "); this layer has the most (" +
                      withThousands(a.layers[biggest].params) + ")");
  }

  if (valid && a.error.empty() && !spec.layers.empty()) {
    const int last = int(spec.layers.size()) - 1;
    const LayerSpec& l = spec.layers[last];
    const bool softmaxEnd = layerKindInfo(l.kind).arg("activation") && l.activation == "softmax";
    if (cur.size() != 1 || cur[0] != numClasses)
      fail(last, "the model must end with " + std::to_string(numClasses) + " outputs, one per class, but ends with " +
                     shapeToString(cur));
    else if (!softmaxEnd)
      fail(last, "the last layer must use the softmax activation to output class probabilities");
  }
  return a;
}

std::string withThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

namespace {

std::string byteSize(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB"};
  int u = 0;
  while (bytes >= 1024 && u < 3) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %s", bytes, units[u]);
  return buf;
}

// Counts code points so box-drawing padding is right for UTF-8 text.
size_t displayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string cell(const std::string& text, size_t width, bool right) {
  std::string t = text;
  if (displayWidth(t) > width) t = t.substr(0, width);  // ASCII here
  const std::string pad(width - displayWidth(t), ' ');
  std::string out;
  out.reserve(width + 2 + t.size());
  out += ' ';
  out += right ? pad : t;
  out += right ? t : pad;
  out += ' ';
  return out;
}

// Lines of at most `width` characters, broken at spaces (a word longer than that is cut).
std::vector<std::string> wrapped(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::string rest = text;
  while (displayWidth(rest) > width) {
    size_t cut = rest.rfind(' ', width);
    if (cut == std::string::npos || cut == 0) {
      lines.push_back(rest.substr(0, width));
      rest = rest.substr(width);
    } else {
      lines.push_back(rest.substr(0, cut));
      rest = rest.substr(cut + 1);
    }
  }
  lines.push_back(rest);
  return lines;
}

}  // namespace

std::string summaryText(const ModelSpec& spec) {
  const ModelAnalysis a = analyze(spec);
  // Keras 3 (keras/src/utils/summary_utils.py): columns at 0.45 / 0.80 / 1.0 of the line.
  const size_t w1 = 31, w2 = 24, w3 = 13;
  std::ostringstream out;
  out << "Model: \"" << spec.name << "\"\n";
  auto rule = [&](const char* l, const char* h, const char* m, const char* r) {
    out << l << repeat(h, w1 + 2) << m << repeat(h, w2 + 2) << m << repeat(h, w3 + 2) << r << "\n";
  };
  rule("┏", "━", "┳", "┓");
  out << "┃" << cell("Layer (type)", w1, false) << "┃" << cell("Output Shape", w2, false) << "┃"
      << cell("Param #", w3, true) << "┃\n";
  rule("┡", "━", "╇", "┩");
  for (size_t i = 0; i < a.layers.size(); ++i) {
    const LayerInfo& l = a.layers[i];
    std::string shape = l.outputShape.empty() ? "?" : shapeToString(l.outputShape);
    std::string params = l.outputShape.empty() ? "0 (unbuilt)" : withThousands(l.params);
    // A name wider than its column wraps at spaces, as rich's table in Keras does:
    //   │ random_translation      │ (None, 28, 28, 1) │ 0 │
    //   │ (RandomTranslation)     │                   │   │
    const std::vector<std::string> lines = wrapped(l.name + " (" + l.className + ")", w1);
    for (size_t k = 0; k < lines.size(); ++k)
      out << "│" << cell(lines[k], w1, false) << "│" << cell(k == 0 ? shape : "", w2, false) << "│"
          << cell(k == 0 ? params : "", w3, true) << "│\n";
    if (i + 1 < a.layers.size()) rule("├", "─", "┼", "┤");
  }
  rule("└", "─", "┴", "┘");
  // float32: 4 bytes a parameter.
  const int64_t trainable = a.trainableParams(), fixed = a.nonTrainableParams;
  out << " Total params: " << withThousands(a.totalParams) << " (" << byteSize(double(a.totalParams) * 4.0) << ")\n";
  out << " Trainable params: " << withThousands(trainable) << " (" << byteSize(double(trainable) * 4.0) << ")\n";
  out << " Non-trainable params: " << withThousands(fixed) << " (" << byteSize(double(fixed) * 4.0) << ")\n";
  if (!a.ok()) out << " Error: " << a.error << "\n";
  return out.str();
}

}  // namespace dl
