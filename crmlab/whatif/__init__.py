"""What-if panels: the callbacks behind the notebooks' interactive controls (issue 14).

One module per theme.  Each callback is a plain function — inputs in, a table out and a
chart drawn on the Axes it is given — so it is unit-tested and benchmarked without widgets;
the ipywidgets panel that calls it is built only when a notebook runs interactively.
"""
