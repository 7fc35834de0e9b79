"""Model → DOT → SVG: diagram building, Graphviz execution and SVG post-processing."""
