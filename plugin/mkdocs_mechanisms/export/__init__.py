"""Exports of pathways in formats other tools read (SBGN-ML)."""
