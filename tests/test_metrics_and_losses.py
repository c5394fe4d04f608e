"""Metrics and losses against the formulas written out by hand."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import losses, metrics

rng = np.random.default_rng(0)


def test_binary_accuracy_precision_recall_by_hand():
    y = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    p = np.array([0.9, 0.6, 0.4, 0.8, 0.1, 0.3, 0.55, 0.7])
    pred = p > 0.5
    tp, fp, fn = np.sum(pred & (y == 1)), np.sum(pred & (y == 0)), np.sum(~pred & (y == 1))
    acc, prec, rec = metrics.BinaryAccuracy(), metrics.Precision(), metrics.Recall()
    for m in (acc, prec, rec):  # in two batches, as during training
        m.update_state(y[:5], p[:5, None])
        m.update_state(y[5:], p[5:, None])
    assert float(acc.result()) == pytest.approx(np.mean(pred == y))
    assert float(prec.result()) == pytest.approx(tp / (tp + fp))
    assert float(rec.result()) == pytest.approx(tp / (tp + fn))
    acc.reset_state()
    assert float(acc.result()) == 0.0
    assert float(metrics.BinaryAccuracy(threshold=0.75)(y, p)) == pytest.approx(np.mean((p > 0.75) == y))


def test_categorical_and_sparse_accuracy_and_mean():
    p = rng.random((20, 4))
    labels = rng.integers(0, 4, 20)
    expected = np.mean(p.argmax(1) == labels)
    assert float(metrics.SparseCategoricalAccuracy()(labels, p)) == pytest.approx(expected)
    assert float(metrics.CategoricalAccuracy()(np.eye(4)[labels], p)) == pytest.approx(expected)
    m = metrics.Mean()
    m.update_state([1.0, 2.0])
    m.update_state([6.0], sample_weight=[2.0])
    assert float(m.result()) == pytest.approx((1 + 2 + 12) / 4)


def test_metric_dtype_follows_predictions():
    assert metrics.BinaryAccuracy()([1.0], np.array([0.7])).dtype == np.float64
    assert metrics.BinaryAccuracy()([1.0], np.array([0.7], dtype=np.float32)).dtype == np.float32


def test_binary_crossentropy_is_the_lecture_formula():
    y = rng.integers(0, 2, (10, 1)).astype(float)
    p = rng.uniform(0.05, 0.95, (10, 1))
    by_hand = np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p))  # J(W) = (1/m) Σ L(ŷ, y)
    assert float(losses.BinaryCrossentropy()(y, p)) == pytest.approx(by_hand, rel=1e-12)
    logits = np.log(p / (1 - p))
    assert float(losses.BinaryCrossentropy(from_logits=True)(y, logits)) == pytest.approx(by_hand, rel=1e-12)
    assert float(losses.BinaryCrossentropy()(y, rb.math.sigmoid(rb.constant(logits)))) == pytest.approx(by_hand, rel=1e-12)


def test_labels_of_rank_one_match_a_column_of_predictions():
    y = np.array([1.0, 0.0, 1.0])
    p = np.array([[0.8], [0.3], [0.6]])
    assert float(losses.BinaryCrossentropy()(y, p)) == pytest.approx(float(losses.BinaryCrossentropy()(y[:, None], p)))


def test_other_losses_by_hand():
    y = rng.normal(size=(6, 3))
    p = rng.normal(size=(6, 3))
    assert float(losses.MeanSquaredError()(y, p)) == pytest.approx(np.mean((y - p) ** 2))
    probs = rng.dirichlet(np.ones(3), 6)
    labels = rng.integers(0, 3, 6)
    assert float(losses.CategoricalCrossentropy()(np.eye(3)[labels], probs)) == pytest.approx(
        np.mean(-np.log(probs[np.arange(6), labels])), rel=1e-12)
    assert float(losses.SparseCategoricalCrossentropy()(labels, probs)) == pytest.approx(
        np.mean(-np.log(probs[np.arange(6), labels])), rel=1e-12)


def test_reductions_and_sample_weights():
    y = np.array([1.0, 0.0])
    p = np.array([0.8, 0.4])
    each = -y * np.log(p) - (1 - y) * np.log(1 - p)
    np.testing.assert_allclose(losses.BinaryCrossentropy(reduction="none")(y, p[:, None]).numpy().ravel(), each)
    assert float(losses.BinaryCrossentropy(reduction="sum")(y, p)) == pytest.approx(each.sum())
    assert float(losses.BinaryCrossentropy()(y, p, sample_weight=[2.0, 0.0])) == pytest.approx(each[0])


def test_sparse_labels_out_of_range_and_get():
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\)"):
        losses.SparseCategoricalCrossentropy()(np.array([0, 5]), np.ones((2, 3)) / 3)
    assert isinstance(losses.get("binary_crossentropy"), losses.BinaryCrossentropy)
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    assert isinstance(metrics.get("accuracy", losses.SparseCategoricalCrossentropy()), metrics.SparseCategoricalAccuracy)
    with pytest.raises(ValueError, match="unknown loss"):
        losses.get("hinge_loss_please")
