"""One module per protocol; each docstring names exactly what the probe sends."""
