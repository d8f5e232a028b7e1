"""certrisk: the command line and quarterly workflow over the three libraries.

The libraries (``features``, ``riskmodel``, ``sampling``) never import this
package; it only wires them together, turns their errors into plain messages
and writes outputs atomically.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
