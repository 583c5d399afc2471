#pragma once
// Looking inside a trained Sequential model for one input: every layer's output, and which input
// pixels push a class up or down (saliency). All of it runs the model's own layers (their forward
// and backward passes), so what is shown is exactly what the network computes: no second
// implementation of any layer.
//
// Everything here works in inference mode (Dropout and the augmentation layers are identities)
// and overwrites the model's gradient slots (Param::grad): use a model of your own (the drawing
// panel's, a CLI's), never one a training run is using.
//
//   dl::Model model(spec); model.setWeights(weights);
//   auto outs = dl::layerOutputs(model, image);           // outs[i]: layer i's output
//   auto s = dl::saliency(model, image, dl::SaliencyMethod::GradCam);  // s.values: 28x28
//
// core/inspect/InspectImages.h draws these as pictures (feature-map grids, kernel grids,
// overlays) for the window and `digitlab inspect`.

#include "nn/Model.h"

#include <string>
#include <vector>

namespace dl {

// One layer's output for one sample.
struct LayerOutput {
  std::string name;           // the layer's name ("conv2d_1")
  std::string className;      // Keras's class name ("Conv2D")
  Shape shape;                // per-sample output shape ({28, 28, 32}, {128})
  std::vector<float> values;  // shapeSize(shape) floats, C order of shape (NHWC)
};

// Runs one sample (model.inputSize() floats) forward in inference mode and returns every layer's
// output, in layer order (outputs[i] is model.layers()[i]'s). The last entry is the model's output
// as Model::predictBatch gives it (probabilities when the last activation is softmax).
std::vector<LayerOutput> layerOutputs(Model& model, const float* input);

enum class SaliencyMethod {
  GradientXInput,  // d(score of the class)/d(pixel) x pixel
  Occlusion,       // how much the class's probability drops when a patch around the pixel is blanked
  GradCam,         // Grad-CAM (Selvaraju et al. 2017) on a Conv2D layer, upsampled to the input
};

struct SaliencyOptions {
  int targetClass = -1;  // -1: the predicted (top) class
  // Occlusion: the blanked square's side and the step between squares, in input pixels; the patch
  // is set to 0 (the background of MNIST digits). Every pixel's value is the mean drop over the
  // patches covering it.
  int occlusionPatch = 4;
  int occlusionStride = 2;
  // Grad-CAM: the Conv2D layer's name; empty: the last Conv2D layer of the model.
  std::string gradCamLayer;
};

struct SaliencyMap {
  SaliencyMethod method = SaliencyMethod::GradientXInput;
  int targetClass = 0;    // the class the map explains
  float probability = 0;  // the model's probability of that class for the input
  int height = 0;         // the input image's height and width (28, 28)
  int width = 0;
  // height * width values, row-major. Signed for GradientXInput and Occlusion: > 0 pushes the class
  // up, < 0 pushes it down. Grad-CAM: >= 0 (ReLU of the weighted feature maps), bilinearly
  // upsampled from the layer's grid to the input's.
  std::vector<float> values;
  std::string layer;  // Grad-CAM: the Conv2D layer used; empty otherwise
  // Grad-CAM: the map at the layer's own resolution (camHeight x camWidth), before upsampling.
  int camHeight = 0;
  int camWidth = 0;
  std::vector<float> cam;
};

// The saliency of one input (model.inputSize() floats, an image of model.spec().inputShape).
// The class score differentiated is the pre-softmax logit when the last activation is softmax
// (as the Grad-CAM paper and Keras's Grad-CAM example do), else the output itself.
// Throws SpecError when the method does not apply (Grad-CAM without a Conv2D layer, an unknown
// layer name, an input that is not an image, a target class out of range).
SaliencyMap saliency(Model& model, const float* input, SaliencyMethod method, const SaliencyOptions& options = {});

// Whether a model input shape is an image, and its height, width and channels (any may be null):
// (h, w, c), (h, w) with one channel, or (n) with n a square (784: the MLP's flattened 28x28).
bool imageShape(const Shape& shape, int* height, int* width, int* channels);

// "gradxinput", "occlusion", "gradcam" (the CLI's names) and back; parse returns false for
// anything else.
const char* saliencyMethodName(SaliencyMethod method);
bool parseSaliencyMethod(const std::string& name, SaliencyMethod* method);

}  // namespace dl
