// Tests of the Keras script export: every layer and argument of both presets (and of a spec with
// every non-default setting) appears as the tutorial writes it, invalid specs are refused and,
// when python3 is present, `python3 -m py_compile` accepts every script.

#include "io/KerasExport.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include <cstdlib>
#include <string>
#include <vector>

namespace dl {
namespace {

void expectMentions(const std::string& script, const std::vector<std::string>& parts) {
  for (const std::string& p : parts) EXPECT_NE(script.find(p), std::string::npos) << "missing: " << p << "\n" << script;
}

// True if python3 is present and compiles the script; skips (returns true) without python3.
::testing::AssertionResult compilesAsPython(const std::string& script) {
  if (std::system("python3 -c 'pass' >/dev/null 2>&1") != 0)
    return ::testing::AssertionFailure() << "python3 is missing (tools/install-deps.sh test installs it)";
  QTemporaryDir dir;
  const QString file = dir.filePath(QStringLiteral("model.py"));
  {
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly)) return ::testing::AssertionFailure() << "cannot write " << file.toStdString();
    f.write(script.data(), qint64(script.size()));
  }
  const std::string cmd = "python3 -m py_compile '" + file.toStdString() + "' 2>&1";
  if (std::system(cmd.c_str()) != 0) return ::testing::AssertionFailure() << "py_compile refused:\n" << script;
  return ::testing::AssertionSuccess();
}

TEST(KerasExport, MlpScriptNamesEveryLayerAndArgument) {
  const std::string py = kerasScript(presetMlp());
  expectMentions(py, {
                         "keras.datasets.mnist.load_data()",
                         "x_train = x_train.reshape(-1, 784).astype(\"float32\") / 255",
                         "y_train = keras.utils.to_categorical(y_train, 10)",
                         "keras.Input(shape=(784,))",
                         "layers.Dense(200, activation=\"tanh\", bias_initializer=\"ones\", name=\"dense\")",
                         "layers.Dropout(0.4, name=\"dropout\")",
                         "layers.Dense(100, activation=\"tanh\", bias_initializer=\"ones\", name=\"dense_1\")",
                         "layers.Dropout(0.4, name=\"dropout_1\")",
                         "layers.Dense(10, activation=\"softmax\", bias_initializer=\"ones\", name=\"dense_2\")",
                         "name=\"tutorial_mlp\"",
                         "optimizer=keras.optimizers.SGD(learning_rate=0.2)",
                         "loss=\"categorical_crossentropy\"",
                         "metrics=[\"accuracy\"]",
                         "model.fit(x_train, y_train, batch_size=32, epochs=5)",
                         "model.evaluate(x_test, y_test, verbose=0)",
                         "print(f\"Test loss: {test_loss:.4f} - Test accuracy: {test_accuracy:.4f}\")",
                     });
  EXPECT_EQ(py.find("validation_split"), std::string::npos);
  EXPECT_TRUE(compilesAsPython(py));
}

TEST(KerasExport, CnnScriptNamesEveryLayerAndArgument) {
  const std::string py = kerasScript(presetCnn());
  expectMentions(
      py, {
              "x_test = x_test.reshape(-1, 28, 28, 1).astype(\"float32\") / 255",
              "keras.Input(shape=(28, 28, 1))",
              "layers.Conv2D(32, kernel_size=(5, 5), strides=(1, 1), padding=\"same\", activation=\"relu\", "
              "name=\"conv2d\")",
              "layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding=\"same\", name=\"max_pooling2d\")",
              "layers.Conv2D(64, kernel_size=(5, 5), strides=(1, 1), padding=\"same\", activation=\"relu\", "
              "name=\"conv2d_1\")",
              "layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding=\"same\", name=\"max_pooling2d_1\")",
              "layers.Flatten(name=\"flatten\")",
              "layers.Dense(1024, activation=\"relu\", name=\"dense\")",
              "layers.Dropout(0.3, name=\"dropout\")",
              "layers.Dense(10, activation=\"softmax\", name=\"dense_1\")",
              "optimizer=keras.optimizers.Adam(learning_rate=0.0001)",
              "model.fit(x_train, y_train, batch_size=64, epochs=1)",
          });
  EXPECT_TRUE(compilesAsPython(py));
}

TEST(KerasExport, EveryNonDefaultSettingIsWritten) {
  ModelSpec s = presetMlp();
  s.name = "my \"odd\" model";
  s.layers[0].useBias = false;
  s.layers[0].kernelInitializer = "he_uniform";
  s.layers[2].name = "hidden";
  LayerSpec act;
  act.kind = LayerKind::Activation;
  act.activation = "relu";
  s.layers.insert(s.layers.begin() + 1, act);
  s.training.optimizer.momentum = 0.9;
  s.training.optimizer.nesterov = true;
  s.training.validationSplit = 0.1;
  s.training.loss = "sparse_categorical_crossentropy";
  s.training.seed = 42;
  const std::string py = kerasScript(s, {"models/trained.dlm", true});
  expectMentions(py, {
                         "layers.Dense(200, activation=\"tanh\", use_bias=False, kernel_initializer=\"he_uniform\", "
                         "bias_initializer=\"ones\", name=\"dense\")",
                         "layers.Activation(\"relu\", name=\"activation\")",
                         "name=\"hidden\"",
                         "name=\"my \\\"odd\\\" model\"",
                         "keras.optimizers.SGD(learning_rate=0.2, momentum=0.9, nesterov=True)",
                         "loss=\"sparse_categorical_crossentropy\"",
                         "batch_size=32, epochs=5, validation_split=0.1",
                         "keras.utils.set_random_seed(42)",
                         "keras.datasets.fashion_mnist.load_data()",
                         "DIGITLAB_WEIGHTS = \"models/trained.dlm\"",
                         "trained[f\"weights/{layer.name}/{n}\"]",
                     });
  EXPECT_EQ(py.find("to_categorical"), std::string::npos);  // sparse labels stay integers
  EXPECT_TRUE(compilesAsPython(py));

  ModelSpec onTest = presetMlp();
  onTest.training.validateOnTestSet = true;
  onTest.training.validationSplit = 0.2;  // the test set wins, as in the app
  const std::string testPy = kerasScript(onTest);
  expectMentions(testPy, {"model.fit(x_train, y_train, batch_size=32, epochs=5, validation_data=(x_test, y_test))"});
  EXPECT_EQ(testPy.find("validation_split"), std::string::npos);

  ModelSpec adam = presetCnn();
  adam.training.optimizer.beta1 = 0.8;
  adam.training.optimizer.epsilon = 1e-8;
  expectMentions(kerasScript(adam), {"keras.optimizers.Adam(learning_rate=0.0001, beta_1=0.8, epsilon=1e-08)"});
}

TEST(KerasExport, HostileNamesAndHugeSeedsStillMakeValidPython) {
  ModelSpec s = presetMlp();
  s.name = "end \"\"\" here \\";              // would close a docstring it was pasted into
  s.training.seed = (uint64_t(1) << 40) + 5;  // numpy.random.seed takes < 2^32
  const std::string py = kerasScript(s);
  expectMentions(py, {"\"\"\"Model \"end \\\"\\\"\\\" here \\\\\": a Keras script",
                      "keras.utils.set_random_seed(5)  # DigitLab's seed 1099511627781 modulo 2**32"});
  EXPECT_TRUE(compilesAsPython(py));
}

TEST(KerasExport, RefusesSpecsItCannotExport) {
  ModelSpec bad = presetMlp();
  bad.layers.back().units = 7;  // not the 10 classes
  EXPECT_THROW(kerasScript(bad), SpecError);
  ModelSpec wrongInput = presetMlp();
  wrongInput.inputShape = {100};
  try {
    kerasScript(wrongInput);
    FAIL();
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("28x28"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dl
