# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Deep Learning Fundamentals: from the perceptron to training a neural network
#
# The lecture, section by section, run with **rosenblatt** (NumPy only, TensorFlow's names).
# This file is the source of truth, a [jupytext](https://jupytext.readthedocs.io) "percent" script:
# `jupytext --to ipynb notebooks/lecture.py` makes `lecture.ipynb` (not committed), and the test suite
# runs it top to bottom (`tests/notebooks/test_lecture_notebook.py`, with nbmake).

# %%
# %matplotlib inline
import numpy as np

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf
from rosenblatt import plots


# %% [markdown]
# ## 1. The perceptron
#
# Forward propagation: $\hat{y} = g\left(w_0 + X^T W\right)$. The lecture's example has $w_0 = 1$,
# $W = [3, -2]$ and $x = (-2, 2)$, so $\hat{y} = g(1 + 3 \cdot (-2) - 2 \cdot 2) = g(-9)$.
# With $g = \sigma$ that is $1/(1 + e^9) = 0.000123394576$; **the slide prints 0.00012338161, wrong
# in the fifth significant digit**.

# %%
p = rb.models.Perceptron.from_weights(w0=1.0, W=[3.0, -2.0])
z = p.decision_function([[-2.0, 2.0]])
y_hat = float(rb.math.sigmoid(rb.constant(z, dtype=rb.float64))[0, 0])
print(f"z = {z[0, 0]:g}, ŷ = σ(z) = {y_hat:.12f}; the slide's 0.00012338161 is off by {y_hat - 0.00012338161:.1e}")
assert round(y_hat, 12) == 0.000123394576

# %% [markdown]
# Rosenblatt's own perceptron (1958) uses the step $g(z) = [z \ge 0]$ and learns by
# $W \leftarrow W + \eta\,(y - \hat{y})\,x$. It stops on linearly separable points (after at most
# $(R/\gamma)^2$ corrections, Novikoff) and never on XOR. A sigmoid neuron trained by gradient descent
# draws one line too.

# %%
x_and = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
for name, labels in {"AND": [0, 0, 0, 1], "XOR": [0, 1, 1, 0]}.items():
    perceptron = rb.models.Perceptron()
    perceptron.fit(x_and, np.array(labels), epochs=100, seed=0)
    print(f"{name}: converged {perceptron.converged}, {perceptron.updates} corrections, "
          f"accuracy {perceptron.evaluate(x_and, np.array(labels)):.0%}")

# %%
plots.perceptron()

# %% [markdown]
# ## 2. Activation functions
#
# $\sigma(z) = 1/(1 + e^{-z})$ with $\sigma' = \sigma(1 - \sigma)$; $\tanh$ with $1 - \tanh^2$;
# ReLU $\max(0, z)$ with slope $[z > 0]$. The lecture's code, unchanged:

# %%
x = tf.constant(2, dtype=tf.float32)
print(tf.math.sigmoid(x).numpy())

values = tf.range(-6, 7, 1, dtype=tf.float32)
with tf.GradientTape() as tape:
    tape.watch(values)
    sigmoid_values = tf.math.sigmoid(values)
derivative_sigmoid = tape.gradient(sigmoid_values, values)
print(derivative_sigmoid)

# %% [markdown]
# Against the slide's table: σ′(−6) prints 0.00246651 here and 0.00246653 on the slide. The exact value is
# σ(−6)(1 − σ(−6)) = 0.0024665093, which rosenblatt prints; TensorFlow's float32 sigmoid kernel gives a
# σ(−6) off by about 8·10⁻⁶ relative. At +6 both print 0.00246653 (there 1 − σ in float32 keeps only five
# digits). All 13 values agree with the slide to 2·10⁻⁷. An integer `values` (`tf.range(-6, 7, 1)` without a
# `dtype`) has no gradient: `tape.gradient` says so with a `TypeError` naming its dtype.

# %%
print(f"{float(derivative_sigmoid[0]):.8f} (slide: 0.00246653), exact {0.0024665093:.8f}")

# %%
plots.activations()

# %% [markdown]
# ## 3. Why non-linear activations: blue vs green points
#
# Linear activations produce linear decisions no matter the network size; ReLU bends the boundary.

# %%
plots.boundary("circles")

# %% [markdown]
# ## 4. A dense layer from scratch, `Dense`, `Sequential`, the matrix dimensions

# %%
class MyDenseLayer(tf.keras.layers.Layer):
    def __init__(self, units=32):
        super(MyDenseLayer, self).__init__()
        self.units = units

    def build(self, input_shape):
        input_dim = int(input_shape[-1])
        self.W = self.add_weight("weight", shape=[input_dim, self.units], initializer='random_normal')
        self.b = self.add_weight("bias", shape=[1, self.units], initializer='zeros')

    def call(self, x):
        z = tf.matmul(x, self.W) + self.b
        y = tf.sigmoid(z)
        return y


layer = MyDenseLayer(units=3)
print("MyDenseLayer:", layer(np.ones((4, 5), dtype=np.float32)).shape)
print("Dense:", tf.keras.layers.Dense(units=2, activation="sigmoid")(np.ones((1, 3))).shape)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(4, activation=tf.nn.sigmoid),
    tf.keras.layers.Dense(4, activation=tf.nn.sigmoid),
    tf.keras.layers.Dense(2)
])
model(np.ones((1, 12)))
model.summary()

# %% [markdown]
# "Matrix Dimension": $X$ is $(1 \times n)$, $W^{(1)}$ $(n \times k)$, $z_1$ and $a_1$ $(1 \times k)$,
# $W^{(2)}$ $(k \times j)$, $z_2$ and $a_2$ $(1 \times j)$; with a batch of $m$ rows, $m$ replaces 1.

# %%
for layer in model.layers:
    print(f"{layer.name}: W {layer.kernel.shape}, b {layer.bias.shape}")

# %% [markdown]
# ## 5. The loss
#
# $\mathcal{L}(\hat{y}, y) = -y \log \hat{y} - (1 - y) \log(1 - \hat{y})$ and
# $J(W) = \frac{1}{m} \sum_i \mathcal{L}(\hat{y}^{(i)}, y^{(i)})$: by hand and with the library.

# %%
y = np.array([1.0, 0.0, 1.0])
predicted = np.array([0.9, 0.2, 0.6])
by_hand = np.mean(-y * np.log(predicted) - (1 - y) * np.log(1 - predicted))
loss = tf.reduce_mean(tf.keras.losses.BinaryCrossentropy(y, predicted))
print(f"J by hand {by_hand:.6f}, by the library {float(loss):.6f}")

# %% [markdown]
# ## 6. Gradient descent and backpropagation with pencil and paper
#
# Every step of the forward and backward pass of a small network on the lecture's example, with
# shapes and numbers, finite differences beside each gradient and the GradientTape's check.
# (A worksheet for students: `rb.explain(..., worksheet=True)`; its `answer_key()` is this.)

# %%
net = rb.Sequential([rb.layers.Input((2,), dtype="float64"),
                     rb.layers.Dense(2, activation="sigmoid", dtype="float64"),
                     rb.layers.Dense(1, activation="sigmoid", dtype="float64")], seed=0)
explanation = rb.explain(net, np.array([[-2.0, 2.0]]), np.array([1.0]), digits=4)
assert explanation.equal
explanation

# %% [markdown]
# The learning rate: $W \leftarrow W - \eta\, \partial J / \partial W$. Too small creeps, too large diverges.

# %%
plots.learning_rates()

# %% [markdown]
# ## 7. Mini-batches, $1 \le b \le m$
#
# `Dataset.from_tensor_slices(...).shuffle(...).batch(32)` and the lecture's training loop:

# %%
x_points, y_points = rb.data.points.make_moons(256, seed=0)
dataset = tf.data.Dataset.from_tensor_slices((x_points, y_points.astype(np.float64)))
dataset = dataset.shuffle(buffer_size=64, seed=0).batch(32)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(8, activation=tf.nn.relu, dtype='float64'),
    tf.keras.layers.Dense(8, activation=tf.nn.relu, dtype='float64'),
    tf.keras.layers.Dense(1, activation=tf.nn.sigmoid, dtype='float64')
])
loss = tf.keras.losses.BinaryCrossentropy()
accuracy = tf.keras.metrics.BinaryAccuracy()
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
for i in range(30):
    for step, (x, y) in enumerate(dataset):
        with tf.GradientTape() as tape:
            logits = model(x)
            loss_value = loss(y, logits)
        gradients = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))
        accuracy.update_state(y, logits)
print(f"last batch loss {float(loss_value):.4f}, running accuracy {float(accuracy.result()):.1%}")

# %%
plots.batch_sizes()

# %% [markdown]
# ## 8. The optimizers
#
# Momentum $v_{dW} = \beta v_{dW} + (1 - \beta) dW$; RMSprop $s_{dW} = \beta s_{dW} + (1 - \beta) dW^2$;
# Adam both, bias-corrected. The same network from the same weights, 40 epochs with each:

# %%
x_points, y_points = rb.data.points.make_moons(400, seed=1)
rows = []
for name, optimizer in {"SGD": rb.optimizers.SGD(0.1), "Momentum": rb.optimizers.Momentum(0.1),
                        "RMSprop": rb.optimizers.RMSprop(0.01), "Adam": rb.optimizers.Adam(0.01),
                        "Adadelta": rb.optimizers.Adadelta(1.0), "Adagrad": rb.optimizers.Adagrad(0.1)}.items():
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="relu"),
                           rb.layers.Dense(8, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x_points, y_points, epochs=40, batch_size=32, verbose=0, seed=0)
    rows.append((name, history.history["loss"][-1], history.history["accuracy"][-1]))
print(f"{'optimizer':<10}{'loss':>8}{'accuracy':>10}")
for name, final_loss, final_accuracy in rows:
    print(f"{name:<10}{final_loss:>8.4f}{final_accuracy:>10.1%}")

# %% [markdown]
# ## 9. Learning-rate decay
#
# $\eta = \frac{1}{1 + \text{decay} \cdot \text{epoch}}\,\eta_0$, $\eta = 0.95^{\text{epoch}}\,\eta_0$,
# $\eta = \frac{k}{\sqrt{\text{epoch}}}\,\eta_0$, and the library's piecewise-constant and cosine schedules.

# %%
decay = rb.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5, steps_per_epoch=7)
print(decay.table(range(0, 50, 7)))
plots.schedules()

# %% [markdown]
# ## 10. Cat vs non-cat, when the data is present
#
# $n = 64 \times 64 \times 3 = 12288$ inputs. The files are not shipped: `load_data()` looks in
# `$ROSENBLATT_DATA`, the user cache folder `~/.cache/rosenblatt/catvnoncat`, then `../shared/data/catvnoncat`
# beside the checkout (see `rosenblatt cats --help`).

# %%
try:
    (x_train, y_train), (x_test, y_test) = rb.datasets.catvnoncat.load_data()
except (FileNotFoundError, ImportError) as why:
    print("no cat data here, so this section is skipped:", str(why).splitlines()[0])
else:
    x_train, x_test = x_train.reshape(len(x_train), -1) / 255.0, x_test.reshape(len(x_test), -1) / 255.0
    cats = rb.Sequential([rb.layers.Input((12288,)), rb.layers.Dense(20, activation="relu"),
                          rb.layers.Dense(7, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    cats.compile(optimizer=rb.optimizers.Adam(0.0005), loss="binary_crossentropy", metrics=["accuracy"])
    history = cats.fit(x_train, y_train, epochs=30, batch_size=32, validation_data=(x_test, y_test), verbose=0, seed=0)
    print(f"train accuracy {history.history['accuracy'][-1]:.1%}, test accuracy {history.history['val_accuracy'][-1]:.1%}")
    display(plots.history(history, title="Cat vs non-cat: [12288, 20, 7, 1], Adam"))  # noqa: F821 - IPython's
