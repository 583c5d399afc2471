#pragma once
// Element-wise activations applied in place on a batch, and their backward passes written in
// terms of the activation's OUTPUT y (so no pre-activation copy is kept).
// softmax acts on each row.

#include "nn/Tensor.h"

#include <string>

namespace dl {

enum class Activation { Linear, Relu, Tanh, Sigmoid, Softmax };

Activation activationFromName(const std::string& name);  // throws SpecError

// y = f(y), in place. `ncols` groups the values per row for softmax (the whole row).
void applyActivation(Activation a, Matrix& y);

// dz = dy * f'(.) given y = f(z). dz may alias dy.
void activationBackward(Activation a, const Matrix& y, const Matrix& dy, Matrix& dz);

// Row-wise numerically stable softmax of z into p.
void softmaxRows(const Matrix& z, Matrix& p);

}  // namespace dl
