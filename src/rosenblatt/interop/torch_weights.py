"""A model's weights as a PyTorch ``state_dict``, in a safetensors file (``pip install -e ".[interop]"``).

The names are those of the equivalent PyTorch module (:mod:`rosenblatt.interop.torch_plan`), the arrays in
PyTorch's layouts (:mod:`rosenblatt.interop.layouts`): ``Linear.weight`` = Wᵀ, ``Conv2d.weight`` = the kernel's
axes (3, 2, 0, 1).  Writing and reading need only NumPy and ``safetensors`` (its ``safetensors.numpy``), not
PyTorch.  A safetensors file is a JSON header and raw numbers: reading one never runs code.  Loading checks
every name (none missing, none left over), each array's shape and dtype against the layer's, and that every
number is finite; any fault is a :class:`~rosenblatt.io.errors.ModelFileError` naming the file, the layer and
both shapes.  Then each weight is set; nothing is set if any check fails.

>>> import rosenblatt as rb, numpy as np, tempfile, os
>>> model = rb.Sequential([rb.layers.Input((3,)), rb.layers.Dense(2, activation="relu"), rb.layers.Dense(1)])
>>> {name: a.shape for name, a in torch_state_dict(model).items()}
{'0.weight': (2, 3), '0.bias': (2,), '2.weight': (1, 2), '2.bias': (1,)}
>>> path = os.path.join(tempfile.mkdtemp(), "m.safetensors")
>>> save_torch_state_dict(model, path)
>>> again = rb.Sequential([rb.layers.Input((3,)), rb.layers.Dense(2, activation="relu"), rb.layers.Dense(1)])
>>> load_torch_state_dict(again, path)
>>> all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))
True
"""

from __future__ import annotations

import os

import numpy as np

from rosenblatt.extras import install_hint
from rosenblatt.interop.layouts import dense_to_linear, hwio_to_oihw, linear_to_dense, oihw_to_hwio
from rosenblatt.interop.torch_plan import state_names
from rosenblatt.io.atomic import writing
from rosenblatt.io.errors import ModelFileError

_RENAMES = {"running_mean": "moving_mean", "running_var": "moving_variance"}


def _safetensors_numpy():
    try:
        import safetensors.numpy
    except ImportError:
        raise ImportError(f"PyTorch weights (safetensors files) need the safetensors package: "
                          f"{install_hint('interop')}") from None
    return safetensors.numpy


def torch_state_dict(model) -> dict:
    """``{name: array}``: ``model``'s weights under the names and in the layouts of the equivalent PyTorch
    module (NumPy arrays: contiguous copies; see the module)."""
    return {name: np.array(_to_torch(module, parameter), order="C", copy=True)
            for name, (module, parameter) in state_names(model).items()}


def _to_torch(module, parameter):
    layer = module.layer
    if parameter == "num_batches_tracked":
        return np.array(0, np.int64)  # rosenblatt does not count batches; PyTorch reads it only when momentum=None
    if module.kind == "Linear" and parameter == "weight":
        return dense_to_linear(layer.kernel._value, module.flattened)
    if module.kind == "Conv2d" and parameter == "weight":
        return hwio_to_oihw(layer.kernel._value)
    return np.ascontiguousarray(getattr(layer, _attribute(module, parameter))._value)


def _attribute(module, parameter):
    if module.kind.startswith("BatchNorm"):
        return {"weight": "gamma", "bias": "beta"}.get(parameter, _RENAMES.get(parameter, parameter))
    return parameter  # Linear/Conv2d bias, Standardize mean/variance


def _from_torch(module, parameter, array):
    if module.kind == "Linear" and parameter == "weight":
        return linear_to_dense(array, module.flattened)
    if module.kind == "Conv2d" and parameter == "weight":
        return oihw_to_hwio(array)
    return array


def save_torch_state_dict(model, path):
    """Write ``model``'s weights as a PyTorch state_dict to the safetensors file ``path`` (atomically).

    PyTorch reads it with ``safetensors.torch.load_file(path)`` into ``to_torch_module(model)`` (or a network
    of the same modules) through ``load_state_dict``."""
    arrays = torch_state_dict(model)
    for name, array in arrays.items():
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise ValueError(f"model '{model.name}': {name} holds non-finite values; a weights file holds finite "
                             "weights only")
    data = _safetensors_numpy().save(arrays, metadata={"format": "pt", "written_by": "rosenblatt"})
    with writing(path) as f:
        f.write(data)


def load_torch_state_dict(model, source):
    """Set ``model``'s weights from a PyTorch state_dict: a safetensors file, or a mapping of names to arrays
    (NumPy arrays or ``torch.Tensor``s: ``module.state_dict()`` itself).

    Raises:
        ModelFileError: a name is missing or unknown, a shape, dtype or value does not fit, or the file is
            damaged or not a safetensors file (the message names the file or ``state_dict``, and the layer).
    """
    if isinstance(source, (str, os.PathLike)):
        label, arrays = os.fspath(source), _read(source)
    else:
        label = "state_dict"
        try:
            arrays = {str(k): np.asarray(v.detach().cpu().numpy() if hasattr(v, "detach") else v)
                      for k, v in dict(source).items()}
        except (TypeError, ValueError, RuntimeError) as exc:  # bfloat16 has no NumPy dtype, …
            raise ModelFileError(label, f"holds a value NumPy cannot read ({type(exc).__name__}: "
                                        f"{str(exc)[:200]}); convert it to float32 first") from exc
    names = state_names(model)
    missing, extra = [n for n in names if n not in arrays], [n for n in arrays if n not in names]
    if missing or extra:
        raise ModelFileError(label, f"its names do not fit model '{model.name}': missing {missing[:6]}, unexpected "
                                    f"{extra[:6]} (expected {list(names)[:8]}{'…' if len(names) > 8 else ''})")
    assignments = []
    for name, (module, parameter) in names.items():
        array, layer = arrays[name], module.layer
        where = f"'{name}' ({type(layer).__name__} '{layer.name}')"
        if parameter == "num_batches_tracked":
            if array.shape != () or array.dtype.kind not in "iu":
                raise ModelFileError(label, f"{where} should be one integer, got {array.dtype} of shape {array.shape}")
            continue
        expected = _to_torch(module, parameter)
        if array.shape != expected.shape or array.dtype != expected.dtype:
            raise ModelFileError(label, f"{where} is {array.dtype} of shape {array.shape}; the layer expects "
                                        f"{expected.dtype} of shape {expected.shape}")
        if not np.isfinite(array).all():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise ModelFileError(label, f"{where} holds {array[bad]} at index {bad}; weights must be finite")
        variable = layer.kernel if parameter == "weight" and module.kind in ("Linear", "Conv2d") \
            else getattr(layer, _attribute(module, parameter))
        assignments.append((variable, _from_torch(module, parameter, array)))
    for variable, value in assignments:
        variable.assign(value)


def _read(path) -> dict:
    label = os.fspath(path)
    with open(path, "rb") as f:  # FileNotFoundError as it is
        data = f.read()
    try:
        return dict(_safetensors_numpy().load(data))
    except ImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - SafetensorError, or numpy's on a foreign dtype: one error type
        raise ModelFileError(label, f"is not a readable safetensors file ({type(exc).__name__}: "
                                    f"{str(exc)[:200]})") from exc
