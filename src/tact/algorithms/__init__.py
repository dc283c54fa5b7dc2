"""Search, ranking and embedding algorithms: plain Python and numpy, no Django."""
