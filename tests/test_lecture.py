"""The lecture's code blocks, run unchanged with ``import rosenblatt.compat.tensorflow as tf``.

The only edit is the one the slide needs to be Python at all: ``return y`` indented into ``call``.
"""

import io
from contextlib import redirect_stdout

import numpy as np
import pytest

import rosenblatt.compat.tensorflow as tf
from rosenblatt.datasets import catvnoncat

DATA = catvnoncat.find_data()  # the library's search path: $ROSENBLATT_DATA, the user cache, beside the checkout

LECTURE_TABLE = [0.00246653, 0.00664812, 0.01766273, 0.04517666, 0.10499357, 0.19661194, 0.25,
                 0.19661193, 0.10499357, 0.04517666, 0.01766273, 0.00664809, 0.00246653]


def test_sigmoid_of_two():
    x = tf.constant(2, dtype=tf.float32)
    value = tf.math.sigmoid(x).numpy()
    assert value.dtype == np.float32
    assert value == np.float32(0.8807971)


def test_sigmoid_plot_values():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # create a figure
    fig, ax = plt.subplots(1,1,figsize=(6,4))

    # range of values from -6 to 7
    values = tf.range(-6,7,0.1,dtype=tf.float32)

    # calculate sigmoid function for all values
    sigmoid_values = tf.math.sigmoid(values)

    # plot values
    ax.plot(values.numpy(),sigmoid_values.numpy())
    plt.close(fig)
    assert values.shape == (130,) and sigmoid_values.dtype == tf.float32


def test_derivative_of_sigmoid_is_the_lecture_table():
    out = io.StringIO()
    with redirect_stdout(out):
        # create a range of values
        values = tf.range(-6,7,1,dtype=tf.float32)
        # calculates the derivative of sigmoid function
        with tf.GradientTape() as tape:
            # Start recording the history of operations applied to 'values'
            tape.watch(values)
            sigmoid_values = tf.math.sigmoid(values)

            # What's the gradient of `sigmoid_values` with respect to `values`?
            derivative_sigmoid = tape.gradient(sigmoid_values, values)
            print(derivative_sigmoid)
    # σ′(−6) prints 0.00246651 here, 0.00246653 on the slide: the exact value is 0.0024665093, the slide's
    # is TensorFlow's float32 σ(1 − σ) (the GradientTape module's docs say why); all agree to 2e-7
    np.testing.assert_allclose(derivative_sigmoid.numpy(), LECTURE_TABLE, atol=2e-7, rtol=0)
    assert "shape=(13,), dtype=float32" in out.getvalue()


def test_perceptron_example():
    # w0 = 1, W = [3, -2], X = [-2, 2]:  ŷ = g(1 + (3 × −2) − (2 × 2)) = g(−9)
    x = tf.constant([[-2.0, 2.0]], dtype=tf.float64)
    W = tf.constant([[3.0], [-2.0]], dtype=tf.float64)
    y_hat = tf.sigmoid(1 + tf.matmul(x, W))
    # σ(−9) = 1/(1 + e⁹) = 0.000123394576; the slide's "≈ 0.00012338161" agrees to 4 digits
    np.testing.assert_allclose(y_hat.numpy()[0, 0], 1 / (1 + np.exp(9.0)), rtol=1e-15)
    np.testing.assert_allclose(y_hat.numpy()[0, 0], 0.00012338161, rtol=2e-4)


class MyDenseLayer(tf.keras.layers.Layer):
    def __init__(self, units=32):
        super(MyDenseLayer, self).__init__()
        self.units = units

    def build(self, input_shape):
        input_dim = int(input_shape[-1])
        # Initialize weights and bias
        self.W = self.add_weight("weight",
                               shape=[input_dim, self.units],
                               initializer='random_normal')
        self.b = self.add_weight("bias",
                               shape=[1, self.units],
                               initializer='zeros')

    def call(self, x):
        # Forward propagation
        z = tf.matmul(x, self.W) + self.b

        # Feed through a non-linear activation
        y = tf.sigmoid(z)

        return y


def test_my_dense_layer():
    layer = MyDenseLayer(units=3)
    out = layer(np.ones((4, 5), dtype=np.float32))
    assert out.shape == (4, 3)
    assert [w.shape for w in layer.trainable_weights] == [(5, 3), (1, 3)]
    np.testing.assert_allclose(layer.b.numpy(), 0)
    assert 0.01 < np.std(layer.W.numpy()) < 0.1  # random_normal: stddev 0.05


def test_dense_and_sequential_slides():
    layer = tf.keras.layers.Dense(units=2, activation="sigmoid")
    assert layer(np.ones((1, 3))).shape == (1, 2)
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(4, activation=tf.nn.sigmoid),
        tf.keras.layers.Dense(4, activation=tf.nn.sigmoid),
        tf.keras.layers.Dense(2)
    ])
    assert model(np.ones((3, 7))).shape == (3, 2)


def test_loss_slide():
    y = np.array([1.0, 0.0, 1.0])
    predicted = np.array([0.9, 0.2, 0.6])
    loss = tf.reduce_mean( tf.keras.losses.BinaryCrossentropy(y, predicted) )
    expected = np.mean(-(y * np.log(predicted) + (1 - y) * np.log(1 - predicted)))
    np.testing.assert_allclose(float(loss), expected, rtol=1e-6)


def _cat_data():
    h5py = pytest.importorskip("h5py")
    if DATA is None:
        pytest.skip("the cat data is not on rosenblatt's search path")
    with h5py.File(DATA / "train_catvnoncat.h5", "r") as f:
        x = f["train_set_x"][:].reshape(209, -1) / 255.0
        y = f["train_set_y"][:].astype(np.float64)
    return x, y


def test_putting_it_all_together_trains_on_the_cat_data():
    train_set_x, train_set_y = _cat_data()

    # Create a source dataset from your training data
    dataset = tf.data.Dataset.from_tensor_slices((train_set_x,train_set_y))
    dataset = dataset.shuffle(buffer_size=64).batch(32)

    # Instantiate a simple classification model
    model = tf.keras.Sequential([
        tf.keras.layers.Dense(8, activation=tf.nn.relu, dtype='float64'),
        tf.keras.layers.Dense(8, activation=tf.nn.relu, dtype='float64'),
        tf.keras.layers.Dense(1, activation=tf.nn.sigmoid, dtype='float64')
    ])

    # Instantiate a logistic loss function that expects integer targets.
    loss = tf.keras.losses.BinaryCrossentropy()

    # Instantiate an accuracy metric.
    accuracy = tf.keras.metrics.BinaryAccuracy()

    # Instantiate an optimizer.
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.001)

    losses = []
    for i in range(40):  # the slide runs 500 epochs; 40 show the fall within a test's time
        # Iterate over the batches of the dataset.
        for step, (x, y) in enumerate(dataset):
            # Open a GradientTape.
            with tf.GradientTape() as tape:

                # Forward pass.
                logits = model(x)

                # Loss value for this batch.
                loss_value = loss(y, logits)

                # Get gradients of loss wrt the weights.
                gradients = tape.gradient(loss_value, model.trainable_weights)

                # Update the weights of our linear layer.
                optimizer.apply_gradients(zip(gradients, model.trainable_weights))

                # Update the running accuracy.
                accuracy.update_state(y, logits)
            losses.append(float(loss_value))
    assert loss_value.dtype == np.float64 and logits.dtype == np.float64
    assert accuracy.result().dtype == np.float64
    first, last = np.mean(losses[:7]), np.mean(losses[-7:])
    assert last < first - 0.01, (first, last)


def test_momentum_is_under_keras_optimizers():
    assert tf.keras.optimizers.Momentum is not None
    assert tf.keras.optimizers.schedules.ExponentialDecay is not None
