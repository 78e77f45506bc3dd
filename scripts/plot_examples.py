"""Run the weeks-to-years examples and draw the README's figures (docs/figures/*.png).

Usage: python scripts/plot_examples.py [NAME ...]   (default: every example listed below)
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import myoaxis as mx

ROOT = Path(__file__).resolve().parents[1]
DAY = 86400.0
FIGURES = {  # example -> slow variables drawn, one panel each
    "sarcopenia_resistance_programme": (
        "strength_factor_knee_extensors",
        "csa_knee_extensors",
        "neural_adaptation_knee_extensors",
        "fitness_fatigue_balance",
    ),
    "aerobic_older_adult": (
        "vo2max",
        "insulin_sensitivity_training_factor",
        "hippocampal_volume",
        "cognition",
    ),
    "bed_rest_and_recovery": (
        "bmd_hip",
        "insulin_sensitivity",
        "vo2max",
        "strength_factor_knee_extensors",
    ),
    "overtraining_block": ("fitness_fatigue_balance", "rmssd", "glucose_plasma", "inflammation"),
}


def draw(name: str) -> Path:
    """Run ``examples/<name>.toml`` and save its figure; risk events are marked in red."""
    results = mx.Simulation(mx.Scenario.from_toml(ROOT / "examples" / f"{name}.toml")).run()
    slow = results.tree["/slow"].ds
    days = slow["time"].values / DAY
    risks = [e["time_s"] / DAY for e in results.summary()["risks"]]
    fig, axes = plt.subplots(2, 2, figsize=(9, 5.5), sharex=True, layout="constrained")
    for ax, var in zip(axes.flat, FIGURES[name], strict=True):
        ax.plot(days, slow[var].values[0], lw=1)
        for t in risks:
            ax.axvline(t, color="tab:red", lw=0.5, alpha=0.5)
        ax.set_title(f"{var} ({slow[var].attrs['units']})", fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("day")
    fig.suptitle(results.provenance["scenario_name"], fontsize=10)
    out = ROOT / "docs" / "figures" / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out


if __name__ == "__main__":
    for example in sys.argv[1:] or FIGURES:
        print(draw(example))
