"""``line.set(table_rows, field=value)`` sets a field of every element of the table."""

import xtrack as xt


def test_set_every_element_of_a_table_selection():
    env = xt.Environment()
    env["kq"] = 0.1
    env.new("b1", "RBend", length=1.0, angle=0.1)
    env.new("b2", "RBend", length=1.0, angle=0.1)
    env.new("q1", "Quadrupole", length=1.0)
    line = env.new_line(components=["b1", "q1", "b2", "b1"])
    tt = line.get_table()
    line.set(tt.rows[tt.element_type == "RBend"], edge_entry_model="full", k1="2 * kq")
    assert env["b1"].edge_entry_model == env["b2"].edge_entry_model == "full"
    assert env["q1"].k1 == 0.0  # not selected
    env["kq"] = 0.3
    assert env["b1"].k1 == env["b2"].k1 == 0.6  # strings are expressions, as for one name
