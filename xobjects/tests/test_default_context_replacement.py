import xobjects as xo
import xobjects.typeutils as typeutils


def test_replacing_typeutils_default_context_redirects_new_objects(monkeypatch):
    fresh = xo.ContextCpu()
    monkeypatch.setattr(typeutils, "context_default", fresh)
    arr = xo.Float64[:](4)
    buffer, _ = typeutils.allocate_on_buffer(16)
    assert arr._context is fresh and buffer.context is fresh
    assert len(fresh._buffers) == 2
    del arr, buffer
    import gc

    gc.collect()
    assert len(fresh._buffers) == 0
