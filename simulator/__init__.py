"""The synthetic national system: a simulated population of certification bodies
with eight years of history, the complete data directory of the data contract,
and the ground truth behind it (latent risk, team stringency). It is the
engine's embedded default data set and the closed loop its policies are
evaluated in (:meth:`SyntheticWorld.inspect` simulates new inspections).

What it may import, and why: from ``features`` only the data contract and its
code lists (``features.codes``, ``features.contracts``), because the tables it
writes must speak the contract. Nothing else of ``features`` (loading,
builders), nor ``riskmodel``, ``sampling`` or ``certrisk``: the simulator is
the ground truth those packages are tested against, so it keeps its own copies
of their domain rules (when an audit record is known, the past policy's
random draw), and a bug in them cannot leak into the truth.

>>> world = generate_world(scale=0.02, seed=1)
>>> sorted(world.tables())
['audits', 'bodies', 'certificates', 'conflicts', 'inspections', 'inspectors', 'signals']
"""

from .config import SimConfig
from .world import SyntheticWorld, generate_world

__all__ = ["SimConfig", "SyntheticWorld", "generate_world"]
