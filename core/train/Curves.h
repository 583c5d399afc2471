#pragma once
// The numbers behind the training charts, as plain functions on vectors (no Qt): TensorBoard's
// smoothing, the running mean of an epoch and min/max decimation for display. ui/TrainingCharts
// draws what these compute; train/TrainingCsv.h writes them as a table.

#include <cstddef>
#include <vector>

namespace dl::curves {

// TensorBoard's smoothing: s_t = beta * s_{t-1} + (1 - beta) * x_t with s_0 = 0, shown as
// s_t / (1 - beta^t) where t counts the finite values so far. A non-finite value is passed
// through unchanged and does not enter the average. beta = 0 is the identity.
std::vector<double> smoothed(const std::vector<double>& values, double beta);

// The mean of the values so far: out[i] = (values[0] + ... + values[i]) / (i + 1). What Keras's
// progress bar prints within an epoch when every batch has the same size.
std::vector<double> runningMean(const std::vector<double>& values);

// Min/max decimation for display, of a series in x order given by its y values: the indices to
// keep, ascending. All of them when there are at most maxPoints values (maxPoints is raised to 4
// at least); otherwise the first and the last plus, for each of (maxPoints - 2) / 2 equal index
// buckets of the rest, the indices of its lowest and highest value in index order (one when they
// are the same). Spikes survive; at most maxPoints indices come out.
std::vector<std::size_t> decimationIndices(const std::vector<double>& ys, int maxPoints);

}  // namespace dl::curves
