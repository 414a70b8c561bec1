from traitlets import Int
from traitlets.config import Configurable


class ArchiverConfig(Configurable):
    """How archives are sent."""

    chunk_size = Int(64 * 1024, help="Bytes of an archive sent at a time.").tag(config=True)
