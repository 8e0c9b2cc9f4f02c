"""Callbacks (回访): completed orders are called back; the citizen's verdict closes or redoes them."""
