"""Data layer: table schemas, loaders, the Portfolio bundle and the sample generator."""

__all__: list[str] = []
