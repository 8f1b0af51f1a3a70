"""seqedit selections, macros with text arguments, el->at, and MAD-X's lenient cases."""

import warnings

import pytest

import xtrack as xt
from xtrack.madx import MADLoaderWarning, MadxSyntaxError

BASE = """
m: marker; q: quadrupole, l=1, k1=0.1; k: hkicker;
s: sequence, l=20;
a: m, at=1; q1: q, at=3; k1: k, at=5; b: m, at=7; q2: q, at=9; k2: k, at=12;
endsequence;
"""


def _non_drift(line):
    return [n for n in line.element_names if not n.startswith("||drift")]


def test_remove_selected_by_range_and_by_class():
    text = BASE + """
    seqedit, sequence=s; select, flag=seqedit, clear; select, flag=seqedit, range=a/b;
    remove, element=selected; endedit;
    seqedit, sequence=s; select, flag=seqedit, clear; select, flag=seqedit, class=k;
    remove, element=selected; endedit;
    """
    line = xt.load(string=text, format="madx")["s"]
    assert _non_drift(line) == ["q2"]
    # what is left stays where it was
    assert line.get_table().rows["q2"].s[0] == pytest.approx(8.5)
    assert line.get_length() == pytest.approx(20.0)


def test_select_clear_forgets_the_previous_selection():
    text = BASE + """
    seqedit, sequence=s; select, flag=seqedit, class=k; select, flag=seqedit, clear;
    select, flag=seqedit, pattern="^q1$"; remove, element=selected; endedit;
    """
    assert _non_drift(xt.load(string=text, format="madx")["s"]) == ["a", "k1", "b", "q2", "k2"]


def test_macro_arguments_replace_text_inside_names_and_at_reads_the_placement():
    # the pattern of the HL-LHC toolkit: ENAME in 'ENAMEL1' becomes part of the name
    text = BASE + """
    put(ename, where): macro = {
        ename.x: marker;
        seqedit, sequence=s; install, element=ename.x, at=q2->at + where; endedit;
    };
    exec, put(tag, 2);
    value, q2->at, q2->at - 1;
    """
    line = xt.load(string=text, format="madx")["s"]
    assert "tag.x" in line.element_names
    assert line.get_table().rows["tag.x"].s[0] == pytest.approx(11.0)


def test_from_may_name_an_element_placed_later():
    text = """
    m: marker; q: quadrupole, l=1;
    s: sequence, l=20;
    q0: q, at=-2, from=ip; ip: m, at=10;
    endsequence;
    """
    line = xt.load(string=text, format="madx")["s"]
    assert line.get_table().rows["q0"].s[0] == pytest.approx(7.5)
    loop = text.replace("ip: m, at=10;", "ip: m, at=1, from=q0;")
    with pytest.raises(Exception, match="loop"):
        xt.load(string=loop, format="madx")


def test_lenient_cases_warn_as_madx_does():
    text = BASE + """
    if (nothere->l == 0) { flag = 1; };
    seqedit, sequence=s; install, element=ghost, at=2; endedit;
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        env = xt.load(string=text, format="madx")
    messages = " ".join(str(w.message) for w in caught if issubclass(w.category, MADLoaderWarning))
    assert "nothere" in messages and "ghost" in messages
    assert env.vars["flag"]._value == 1
    assert "ghost" not in env["s"].element_names
    with pytest.raises(MadxSyntaxError, match="nothere"):  # the error names the element
        xt.load(string=text, format="madx", default_to_zero=False)


def test_repeated_expression_texts_stay_live_and_independent():
    text = """
    kq = 0.1;
    qa: quadrupole, l=1, k1 := kq * 2;
    qb: quadrupole, l=1, k1 := kq * 2;
    s: sequence, l=4; qa, at=1; qb, at=3; endsequence;
    """
    env = xt.load(string=text, format="madx")
    env.vars["kq"] = 0.3
    assert env["qa"].k1 == pytest.approx(0.6) and env["qb"].k1 == pytest.approx(0.6)
    env.ref["qa"].k1 = env.vars["kq"] * 3  # one element re-bound, the other unchanged
    env.vars["kq"] = 0.2
    assert env["qa"].k1 == pytest.approx(0.6) and env["qb"].k1 == pytest.approx(0.4)


def test_blocks_split_with_else_after_blank_lines_and_errors_give_the_line():
    text = "a = 1;\nif (a > 2) { b = 1; }\n\n\n\n   else { b = 2; };\nc = b + 1;\n"
    env = xt.load(string=text + BASE, format="madx")
    assert env.vars["b"]._value == 2 and env.vars["c"]._value == 3
    with pytest.raises(MadxSyntaxError, match="line 3"):
        xt.load(string="a = 1;\n\nq: quadrupole, l=1, k1=(a;\n", format="madx")


def test_numbers_wrapped_over_lines_and_list_attributes_of_beam():
    # MAD-X 'save' wraps long lines inside numbers; beam takes list attributes
    text = "beam, particle=proton, pc=1.5, ex:= 7.39e\n-05, npart={1, 1, 2};\n" + BASE
    env = xt.load(string=text, format="madx")
    assert env["s"].particle_ref.p0c[0] == pytest.approx(1.5e9)
    env = xt.load(string="a := 1.5e\n-3 * 2;" + BASE, format="madx")
    assert env.vars["a"]._value == pytest.approx(3e-3)
