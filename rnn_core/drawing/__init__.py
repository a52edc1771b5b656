"""What every figure shares: the course's colours (``palette``, one colour per cell on every
page) and the SVG pieces of the step-through pictures (``svg``)."""
