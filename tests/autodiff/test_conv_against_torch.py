"""The conv2d, max_pool2d and avg_pool2d primitives against PyTorch 2.13 (float64, 1e-8 relative), on random
shapes, strides, dilations and both paddings, forward and every gradient.

TensorFlow's "same" padding puts an odd extra row/column below/right; PyTorch's is symmetric, so the torch side
pads explicitly (F.pad) with the amounts our ``output_size`` gives, then runs with padding 0.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from rosenblatt.autodiff.primitives.conv import FOLD_BIAS_BELOW, output_size  # noqa: E402
from rosenblatt.autodiff.gradcheck import tape_gradients  # noqa: E402
from rosenblatt.autodiff.ops import apply  # noqa: E402


def close(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-8 * max(1.0, np.abs(theirs).max()))


def nchw(a):
    return torch.tensor(np.ascontiguousarray(a.transpose(0, 3, 1, 2)), requires_grad=True)


def nhwc(t):
    return t.detach().numpy().transpose(0, 2, 3, 1)


def draw(rng, dilated=True):
    """A random geometry: batch, size, channels, kernel, strides, dilation, padding (always fits)."""
    while True:
        n, h, w, c, f = (int(v) for v in (rng.integers(1, 4), rng.integers(3, 11), rng.integers(3, 11),
                                          rng.integers(1, 4), rng.integers(1, 5)))
        k = tuple(int(v) for v in rng.integers(1, 5, 2))
        s = tuple(int(v) for v in rng.integers(1, 4, 2))
        d = tuple(int(v) for v in rng.integers(1, 3, 2)) if dilated else (1, 1)
        padding = str(rng.choice(["valid", "same"]))
        if all(size - dd * (kk - 1) - 1 >= 0 for size, kk, dd in zip((h, w), k, d)):
            return n, h, w, c, f, k, s, d, padding


def torch_pads(h, w, k, s, d, padding):
    _, top, bottom = output_size(h, k[0], s[0], d[0], padding)
    _, left, right = output_size(w, k[1], s[1], d[1], padding)
    return (left, right, top, bottom)


def check_conv2d(rng, n, h, w, c, f, k, s, d, padding, use_bias=True):
    x, kernel, b = rng.normal(size=(n, h, w, c)), rng.normal(size=k + (c, f)), rng.normal(size=f)
    args = (x, kernel, b) if use_bias else (x, kernel)
    out = apply("conv2d", *args, strides=s, padding=padding, dilation=d)
    g = rng.normal(size=out.shape)
    grads = tape_gradients(lambda *a: apply("conv2d", *a, strides=s, padding=padding, dilation=d) * g, *args)

    xt, wt = nchw(x), torch.tensor(kernel.transpose(3, 2, 0, 1), requires_grad=True)
    bt = torch.tensor(b, requires_grad=True) if use_bias else None
    ot = F.conv2d(F.pad(xt, torch_pads(h, w, k, s, d, padding)), wt, bt, stride=s, dilation=d)
    ot.backward(torch.tensor(g.transpose(0, 3, 1, 2)))
    close(out.numpy(), nhwc(ot))
    close(grads[0], nhwc(xt.grad))
    close(grads[1], wt.grad.numpy().transpose(2, 3, 1, 0))
    if use_bias:
        close(grads[2], bt.grad.numpy())


@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("seed", range(12))
def test_conv2d_matches_torch(seed, use_bias):
    rng = np.random.default_rng(seed)
    check_conv2d(rng, *draw(rng), use_bias=use_bias)


@pytest.mark.parametrize("c", [3, 16])  # short windows: the bias in the product; long ones: added after it
@pytest.mark.parametrize("h, w, k, s, d, padding", [
    (5, 6, (3, 3), (1, 1), (1, 1), "same"),  # the cat net's: the centre position reaches every input (written first)
    (4, 5, (2, 4), (1, 1), (1, 1), "same"),  # even kernels: (0, 0) and (1, 1) reach every input
    (1, 2, (3, 3), (1, 1), (2, 2), "same"),  # kernel positions that see only padding
    (2, 1, (3, 2), (2, 1), (3, 1), "same"),  # ... with strides
    (5, 5, (3, 3), (2, 2), (1, 1), "same"),  # strides: no position reaches every input (starts from zeros)
    (6, 7, (3, 3), (1, 1), (1, 1), "valid"),
])
def test_conv2d_input_gradient_and_bias_paths_match_torch(h, w, k, s, d, padding, c):
    assert (k[0] * k[1] * c < FOLD_BIAS_BELOW) == (c == 3)
    check_conv2d(np.random.default_rng(h * 10 + w), 2, h, w, c, 4, k, s, d, padding)


def test_conv2d_same_stride_1_is_torchs_same():
    # odd kernels, stride 1: both frameworks pad symmetrically, so torch's own padding="same" applies
    rng = np.random.default_rng(7)
    x, kernel = rng.normal(size=(2, 7, 6, 3)), rng.normal(size=(3, 5, 3, 4))
    ot = F.conv2d(nchw(x), torch.tensor(kernel.transpose(3, 2, 0, 1)), padding="same", dilation=(2, 1))
    close(apply("conv2d", x, kernel, padding="same", dilation=(2, 1)).numpy(), nhwc(ot))


@pytest.mark.parametrize("seed", range(12))
def test_max_pool2d_matches_torch(seed):
    rng = np.random.default_rng(100 + seed)
    n, h, w, c, _, k, s, _, padding = draw(rng, dilated=False)
    x = rng.normal(size=(n, h, w, c))
    out = apply("max_pool2d", x, pool_size=k, strides=s, padding=padding)
    g = rng.normal(size=out.shape)
    gx, = tape_gradients(lambda a: apply("max_pool2d", a, pool_size=k, strides=s, padding=padding) * g, x)
    xt = nchw(x)
    ot = F.max_pool2d(F.pad(xt, torch_pads(h, w, k, s, (1, 1), padding), value=-np.inf), k, s)
    ot.backward(torch.tensor(g.transpose(0, 3, 1, 2)))
    close(out.numpy(), nhwc(ot))
    close(gx, nhwc(xt.grad))


@pytest.mark.parametrize("seed", range(12))
def test_avg_pool2d_matches_torch(seed):
    # TensorFlow's means leave padding out of the count: torch's sum over the padded windows / the count
    rng = np.random.default_rng(200 + seed)
    n, h, w, c, _, k, s, _, padding = draw(rng, dilated=False)
    if seed % 3 == 0:  # blocks side by side (the reshape path)
        s, padding = k, "valid"
    x = rng.normal(size=(n, h, w, c))
    out = apply("avg_pool2d", x, pool_size=k, strides=s, padding=padding)
    g = rng.normal(size=out.shape)
    gx, = tape_gradients(lambda a: apply("avg_pool2d", a, pool_size=k, strides=s, padding=padding) * g, x)
    xt, pads = nchw(x), torch_pads(h, w, k, s, (1, 1), padding)
    total = F.avg_pool2d(F.pad(xt, pads), k, s, divisor_override=1)
    count = F.avg_pool2d(F.pad(torch.ones(1, 1, h, w, dtype=torch.float64), pads), k, s, divisor_override=1)
    ot = total / count
    ot.backward(torch.tensor(g.transpose(0, 3, 1, 2)))
    close(out.numpy(), nhwc(ot))
    close(gx, nhwc(xt.grad))
    if padding == "valid":  # then it is torch's own avg_pool2d
        close(out.numpy(), nhwc(F.avg_pool2d(nchw(x), k, s)))


def test_conv2d_by_the_formula():
    # Z_{n,u,v,f} = b_f + Σ_i Σ_j Σ_c X̃_{n, s·u + d·i, s·v + d·j, c} W_{i,j,c,f}, written out with loops
    rng = np.random.default_rng(3)
    x, kernel, b = rng.normal(size=(2, 7, 8, 2)), rng.normal(size=(2, 3, 2, 3)), rng.normal(size=3)
    s, d = (2, 1), (2, 2)
    out = apply("conv2d", x, kernel, b, strides=s, padding="same", dilation=d).numpy()
    (ho, top, _), (wo, left, _) = output_size(7, 2, 2, 2, "same"), output_size(8, 3, 1, 2, "same")
    xp = np.zeros((2, 7 + 10, 8 + 10, 2))
    xp[:, top:top + 7, left:left + 8] = x
    want = np.zeros((2, ho, wo, 3))
    for u in range(ho):
        for v in range(wo):
            for i in range(2):
                for j in range(3):
                    want[:, u, v] += xp[:, s[0] * u + d[0] * i, s[1] * v + d[1] * j] @ kernel[i, j]
    close(out, want + b)


def test_max_pool2d_ties_go_to_the_first_maximum_as_in_torch():
    # many equal values (after a relu, whole windows are 0): the gradient goes to one input per window, the first
    rng = np.random.default_rng(9)
    x = rng.integers(0, 3, (2, 6, 6, 3)).astype(np.float64)
    for k, s in (((2, 2), (2, 2)), ((3, 3), (1, 1))):
        g = rng.normal(size=apply("max_pool2d", x, pool_size=k, strides=s).shape)
        gx, = tape_gradients(lambda a: apply("max_pool2d", a, pool_size=k, strides=s) * g, x)
        xt = nchw(x)
        F.max_pool2d(xt, k, s).backward(torch.tensor(g.transpose(0, 3, 1, 2)))
        close(gx, nhwc(xt.grad))
