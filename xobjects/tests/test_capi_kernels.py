"""Kernels read and write objects in place through the generated C API.

The same kernels run on every context; results are compared bit for bit
with the serial CPU run. The arithmetic uses values exactly representable
in binary (halves and small integers), so a compiler that contracts a*b+c
into an FMA still gives the same bits.
"""

import numpy as np

import xobjects as xo

from .ref_types import Elem, Leaf, Node


class Body(xo.Struct):
    mass = xo.Float64
    pos = xo.Float64[3]


class System(xo.Struct):
    count = xo.Int32
    center = Body
    bodies = Body[:]
    grid = xo.Float64[:, 3]
    weights = xo.Float32[:]
    target = xo.Ref(Node)
    elems = Elem[:]


SOURCE = r"""
/*gpukern*/ void move_bodies(System sys, const double dt, const int64_t n, /*gpuglmem*/ double* out){
    for (int64_t i = 0; i < n; i++) { //vectorize_over i n
        Body b = System_getp1_bodies(sys, i);
        for (int k = 0; k < 3; k++) {
            System_set_bodies_pos(sys, i, k, System_get_bodies_pos(sys, i, k) + dt * Body_get_mass(b));
        }
        out[i] = System_get_grid(sys, i, 2) + System_get_weights(sys, i);
    }//end_vectorize
}

/*gpukern*/ void summarize(System sys, /*gpuglmem*/ double* out){
    out[0] = System_len_grid(sys);
    out[1] = System_len0_grid(sys);
    out[2] = System_len1_grid(sys);
    out[3] = System_get_center_pos(sys, 1);
    System_set_center_mass(sys, System_get_center_mass(sys) * 2.0);
    /*gpuglmem*/ double* p = System_getp1_center_pos(sys, 2);
    *p = -4.5;
    out[4] = System_get_count(sys);
    Node t = System_getp_target(sys);
    Node_set_value(t, Node_get_value(t) + 0.5);
    out[5] = Node_len_data(t);
    out[6] = Node_get_data(t, 1);
    int64_t m = System_len_elems(sys);
    out[7] = m;
    for (int64_t i = 0; i < m; i++) {
        int64_t id = System_typeid_elems(sys, i);
        if (id == Elem_Node_t) {
            Node nd = (Node) System_member_elems(sys, i);
            Node_set_value(nd, Node_get_value(nd) * 3.0);
        } else if (id == Elem_Leaf_t) {
            Leaf lf = (Leaf) System_member_elems(sys, i);
            Leaf_set_n(lf, Leaf_get_n(lf) + 10);
        } else {
            out[8] += 1.0;  /* NULL members */
        }
    }
    System_set_target(sys, (Node) System_member_elems(sys, 0));
}
"""

KERNELS = {
    "move_bodies": xo.Kernel(
        args=[xo.Arg(System, name="sys"), xo.Arg(xo.Float64, name="dt"), xo.Arg(xo.Int64, name="n"),
              xo.Arg(xo.Float64, pointer=True, name="out")],
        n_threads="n",
    ),
    "summarize": xo.Kernel(
        args=[xo.Arg(System, name="sys"), xo.Arg(xo.Float64, pointer=True, name="out")],
        n_threads=1,
    ),
}


def _build(context, n=5):
    buf = context.new_buffer()
    shared = Node(value=1.5, data=[0.5, 2.5], _buffer=buf)
    return System(
        count=n,
        center={"mass": 1.0, "pos": [0.5, 1.5, 2.5]},
        bodies=[{"mass": 0.5 * k, "pos": [k, -k, 0.25]} for k in range(n)],
        grid=np.arange(3.0 * n).reshape(n, 3),
        weights=np.full(n, 0.25, dtype=np.float32),
        target=shared,
        elems=[shared, Leaf(n=1), None, {"__class__": "Node", "value": 2.0}],
        _buffer=buf,
    )


def _run(context):
    context.add_kernels(sources=[SOURCE], kernels=KERNELS)
    sys_ = _build(context)
    n = len(sys_.bodies)
    out_move = context.zeros(n, dtype=np.float64)
    context.kernels.move_bodies(sys=sys_, dt=0.5, n=n, out=out_move)
    out_sum = context.zeros(9, dtype=np.float64)
    context.kernels.summarize(sys=sys_, out=out_sum)
    buffer_bytes = sys_._buffer.read(0, sys_._buffer.capacity)
    return (context.nparray_from_context_array(out_move), context.nparray_from_context_array(out_sum),
            sys_.to_dict(), buffer_bytes)


def test_kernels_read_and_write_objects_in_place(context):
    out_move, out_sum, dct, _ = _run(context)
    n = 5
    # each body moved by dt * mass along every axis
    expected_pos = [[k + 0.25 * k, -k + 0.25 * k, 0.25 + 0.25 * k] for k in range(n)]
    assert [b["pos"].tolist() for b in dct["bodies"]] == expected_pos
    np.testing.assert_array_equal(out_move, np.arange(3.0 * n).reshape(n, 3)[:, 2] + 0.25)
    assert out_sum.tolist() == [15.0, 5.0, 3.0, 1.5, 5.0, 2.0, 2.5, 4.0, 1.0]
    assert dct["center"]["mass"] == 2.0 and dct["center"]["pos"].tolist() == [0.5, 1.5, -4.5]
    # the shared node got +0.5 through the ref then *3 through the union list
    assert dct["target"]["value"] == (1.5 + 0.5) * 3.0
    assert dct["elems"][1] == {"__class__": "Leaf", "n": 11}
    assert dct["elems"][3]["value"] == 6.0


def test_kernel_results_are_bit_identical_across_contexts(context):
    reference = _run(xo.ContextCpu())
    result = _run(context)
    for ref_part, part in zip(reference[:2], result[:2]):
        assert ref_part.tobytes() == part.tobytes()
    assert repr(reference[2]) == repr(result[2])
    # same allocator, same layout: the whole buffers agree byte for byte
    assert reference[3].tobytes() == result[3].tobytes()


ARRAY_SOURCE = r"""
/*gpukern*/ void reverse_rows(ArrNx3Float64 arr, Labelled lab, /*gpuglmem*/ double* out){
    const int64_t n = ArrNx3Float64_len0(arr);
    for (int64_t i = 0; i < n / 2; i++) {
        for (int64_t k = 0; k < ArrNx3Float64_len1(arr); k++) {
            double tmp = ArrNx3Float64_get(arr, i, k);
            ArrNx3Float64_set(arr, i, k, ArrNx3Float64_get(arr, n - 1 - i, k));
            *ArrNx3Float64_getp1(arr, n - 1 - i, k) = tmp;
        }
    }
    out[0] = ArrNx3Float64_len(arr);
    /*gpuglmem*/ char* text = String_getp_data(Labelled_getp_label(lab));
    int64_t len = 0;
    while (text[len] != 0) len++;
    out[1] = len;
    out[2] = text[0];
    out[3] = Labelled_get_tags(lab, 2);
}
"""


class Labelled(xo.Struct):
    label = xo.String
    tags = xo.UInt8[:]


def test_array_and_string_objects_as_kernel_arguments(context):
    context.add_kernels(
        sources=[ARRAY_SOURCE],
        kernels={"reverse_rows": xo.Kernel(
            args=[xo.Arg(xo.Float64[:, 3], name="arr"), xo.Arg(Labelled, name="lab"),
                  xo.Arg(xo.Float64, pointer=True, name="out")],
            n_threads=1)},
    )
    values = np.arange(15.0).reshape(5, 3)
    arr = xo.Float64[:, 3](values, _context=context)
    lab = Labelled(label="QF.1", tags=[1, 2, 250], _context=context)
    out = context.zeros(4, dtype=np.float64)
    context.kernels.reverse_rows(arr=arr, lab=lab, out=out)
    np.testing.assert_array_equal(arr.to_nparray(), values[::-1])
    assert context.nparray_from_context_array(out).tolist() == [15.0, 4.0, float(ord("Q")), 250.0]


class Chain(xo.Struct):
    value = xo.Float64
    next = xo.Ref(xo.ThisClass)


CHAIN_SOURCE = r"""
/*gpukern*/ void walk(Chain c, /*gpuglmem*/ double* out){
    double total = 0;
    int64_t count = 0;
    while (c) {
        total += Chain_get_value(c);
        count++;
        if (Chain_getp_next(c) == 0) Chain_set_value(c, -1.0);  /* mark the tail */
        c = Chain_getp_next(c);
    }
    out[0] = total;
    out[1] = count;
}
"""


def test_kernel_follows_self_referencing_structs(context):
    context.add_kernels(
        sources=[CHAIN_SOURCE],
        kernels={"walk": xo.Kernel(args=[xo.Arg(Chain, name="c"), xo.Arg(xo.Float64, pointer=True, name="out")],
                                   n_threads=1)},
    )
    buf = context.new_buffer()
    tail = Chain(value=4.0, _buffer=buf)
    head = Chain(value=1.0, next={"value": 2.5, "next": tail}, _buffer=buf)
    out = context.zeros(2, dtype=np.float64)
    context.kernels.walk(c=head, out=out)
    assert context.nparray_from_context_array(out).tolist() == [7.5, 3.0]
    assert tail.value == -1.0 and head.next.next.value == -1.0


class Sample(xo.Struct):
    tag = xo.Int16
    v = xo.Float64[:]


class Bag(xo.Struct):
    first = Sample
    samples = Sample[:]


BAG_SOURCE = r"""
/*gpukern*/ void sum_samples(Bag bag, /*gpuglmem*/ double* out){
    for (int64_t i = 0; i < Bag_len_samples(bag); i++) {
        double total = 0;
        for (int64_t j = 0; j < Bag_len_samples_v(bag, i); j++) total += Bag_get_samples_v(bag, i, j);
        out[i] = total + Bag_get_samples_tag(bag, i);
        Bag_set_samples_tag(bag, i, (int16_t)(10 * i));
    }
    Bag_set_first_v(bag, Bag_len_first_v(bag) - 1, 0.5);
}
"""


def test_paths_through_dynamic_nested_structs_and_their_arrays(context):
    context.add_kernels(
        sources=[BAG_SOURCE],
        kernels={"sum_samples": xo.Kernel(
            args=[xo.Arg(Bag, name="bag"), xo.Arg(xo.Float64, pointer=True, name="out")], n_threads=1)},
    )
    bag = Bag(first={"v": [1.0, 2.0]},
              samples=[{"tag": 1, "v": [1.0]}, {"tag": 2, "v": [0.5, 0.25, 4.0]}, {"v": []}],
              _context=context)
    out = context.zeros(3, dtype=np.float64)
    context.kernels.sum_samples(bag=bag, out=out)
    assert context.nparray_from_context_array(out).tolist() == [2.0, 6.75, 0.0]
    assert [s.tag for s in bag.samples] == [0, 10, 20]
    assert context.nparray_from_context_array(bag.first.v).tolist() == [1.0, 0.5]
