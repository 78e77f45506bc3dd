"""Run the weeks-to-years examples and draw the README's figures (docs/figures/*.png).

Usage: python scripts/plot_examples.py [NAME ...]   (default: every example listed below)
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import numpy as np

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
    "fibromyalgia_tdcs_course": (
        "pain_intensity",
        "neuromodulation_inhibition",
        "cortical_excitability",
        "central_sensitisation",
    ),
    "clbp_exercise_therapy": (
        "pain_intensity",
        "back_disability",
        "central_sensitisation",
        "strength_factor_trunk_extensors",
    ),
    "stroke_rehabilitation_imagery": (
        "motor_pathway_strength",
        "affected_limb_use",
        "motor_pathway_threshold",
        "neural_adaptation_grip",
    ),
}
FNIRS = "fibromyalgia_fnirs_tapping"  # drawn by draw_fnirs: with and without the condition


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


def draw_fnirs() -> Path:
    """The fNIRS tapping session of ``FNIRS`` with and without fibromyalgia: channel-mean HbO
    and motor-cortex activity over the rest, slow and fast tapping blocks."""
    text = (ROOT / "examples" / f"{FNIRS}.toml").read_text(encoding="utf-8")
    fig, axes = plt.subplots(2, 1, figsize=(9, 5.5), sharex=True, layout="constrained")
    for label, conditions in (("fibromyalgia", '["fibromyalgia"]'), ("healthy", "[]")):
        scenario = mx.Scenario.from_toml_text(
            text.replace('conditions = ["fibromyalgia"]', f"conditions = {conditions}"), FNIRS
        )
        results = mx.Simulation(scenario).run()
        step = next(g for g in results.tree.groups if g.endswith("_assess_fnirs_tapping"))
        acute = results.tree[step].ds
        hbo = acute["hbo"].values[0].mean(axis=0)  # channel mean, uM
        dt = float(acute["time"][1] - acute["time"][0])
        smooth = np.convolve(hbo, np.ones(round(5 / dt)) / round(5 / dt), mode="same")  # 5-s mean
        axes[0].plot(acute["time"], smooth, lw=1, label=label)
        axes[1].plot(acute["time"], acute["cortex_activity"].values[0], lw=1, label=label)
    axes[0].set_title("HbO, mean of channels, 5-s moving mean (µM)", fontsize=9)
    axes[1].set_title("motor-cortex activity (relative)", fontsize=9)
    axes[1].set_xlabel("time in the fNIRS session (s)")
    axes[0].legend(fontsize=8)
    fig.suptitle("Finger tapping under fNIRS: fibromyalgia against healthy", fontsize=10)
    out = ROOT / "docs" / "figures" / f"{FNIRS}.png"
    fig.savefig(out, dpi=90)
    plt.close(fig)
    return out


if __name__ == "__main__":
    for example in sys.argv[1:] or [*FIGURES, FNIRS]:
        print(draw_fnirs() if example == FNIRS else draw(example))
