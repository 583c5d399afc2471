"""Model "tutorial_cnn": a Keras script exported by DigitLab 0.1.0.

The same model, optimizer and training settings as in DigitLab, written as the Keras
tutorial writes them. Needs Keras 3 (pip install keras tensorflow) or TensorFlow 2.
Run: python3 this_file.py
"""

try:
    import keras
except ImportError:  # TensorFlow 2 without a separate Keras
    from tensorflow import keras
layers = keras.layers

keras.utils.set_random_seed(1)  # DigitLab's seed (Keras draws other numbers)

# The data: 60,000 training and 10,000 test images of 28x28 grey pixels, scaled to [0, 1].
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255
x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, kernel_size=(5, 5), strides=(1, 1), padding="same", activation="relu", name="conv2d"),
        layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding="same", name="max_pooling2d"),
        layers.Conv2D(64, kernel_size=(5, 5), strides=(1, 1), padding="same", activation="relu", name="conv2d_1"),
        layers.MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding="same", name="max_pooling2d_1"),
        layers.Flatten(name="flatten"),
        layers.Dense(1024, activation="relu", name="dense"),
        layers.Dropout(0.3, name="dropout"),
        layers.Dense(10, activation="softmax", name="dense_1"),
    ],
    name="tutorial_cnn",
)
model.summary()

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=0.0001),
    loss="categorical_crossentropy",
    metrics=["accuracy"],
)

model.fit(x_train, y_train, batch_size=64, epochs=1)

train_loss, train_accuracy = model.evaluate(x_train, y_train, verbose=0)
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Train loss: {train_loss:.4f} - Train accuracy: {train_accuracy:.4f}")
print(f"Test loss: {test_loss:.4f} - Test accuracy: {test_accuracy:.4f}")
