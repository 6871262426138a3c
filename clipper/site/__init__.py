"""The published static site: page model, rendering and building."""
