"""A runnable Keras script for the forecasting page's current settings ("Show the code").

The script is self-contained (NumPy + Keras, plus pandas for a CSV) and follows the same steps
as ``experiment``: chronological split, scaling fitted on the training part, windows, the same
layers, training, a one-step forecast of the held-out part against persistence.
"""

from __future__ import annotations

from rnn_core.cells import CELL_NAMES
from rnn_core.forecasting.series import SineSettings
from rnn_core.forecasting.training import OPTIMIZER_CLASSES, TrainConfig

_SINE_DATA = """\
rng = np.random.default_rng({seed})
t = np.linspace(-2 * np.pi, 2 * np.pi, {points})
values = np.sin(t) + rng.normal(0.0, {noise}, {points})
"""
_CSV_DATA = """\
values = pd.read_csv({file!r})[{column!r}].interpolate(limit_direction="both").to_numpy(float)
"""
_BODY = """\
n_train = len(values) - max(1, round(len(values) * 0.2))  # last 20% held out, in time order
base = np.diff(values) if DIFFERENCE else values  # model series (differences follow trends)
mean, std = base[: n_train - DIFFERENCE].mean(), base[: n_train - DIFFERENCE].std()
z = (base - mean) / std  # statistics from the training part only

window = {window}
index = np.arange(window)[None, :] + np.arange(len(z) - window)[:, None]  # (N, window)
x = z[index][..., None]  # (N, window, 1)
y = {targets}
train = index[:, -1] + 1 < n_train - DIFFERENCE  # windows whose last target is in training
x_train, y_train, x_val, y_val = x[train], y[train], x[~train], y[~train]

model = keras.Sequential([
    keras.Input(shape=(window, 1)),
{layers}    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate={learning_rate}{clip}),
              loss="mse")
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs={epochs},
          batch_size={batch_size}, verbose=0)

# One step ahead over the held-out part, each window taken from the true history.
targets = np.arange(n_train - DIFFERENCE, len(z))
windows = z[targets[:, None] - window + np.arange(window)][..., None]
out = model.predict(windows, verbose=0)
z_hat = {last_output}
pred = z_hat * std + mean + (values[n_train - 1:-1] if DIFFERENCE else 0)
truth = values[n_train:]
print("RNN MSE:", np.mean((truth - pred) ** 2))
print("persistence MSE:", np.mean((truth - values[n_train - 1:-1]) ** 2))
"""


def forecaster_code(config: TrainConfig, difference: bool, *, sine: SineSettings | None = None,
                    csv_file: str = "your_series.csv", csv_column: str = "value") -> str:
    """The script for ``config`` on the noisy sine (``sine``) or on a CSV column."""
    many_to_many = config.framing == "many_to_many"
    layers = ""
    for index in range(config.layers):
        keeps_sequence = index < config.layers - 1 or many_to_many
        options = ", return_sequences=True" if keeps_sequence else ""
        options += f", dropout={config.dropout}" if config.dropout else ""
        layers += f"    keras.layers.{CELL_NAMES[config.cell]}({config.units}{options}),\n"
    data = (_SINE_DATA.format(seed=sine.seed, points=sine.points, noise=sine.noise)
            if sine is not None else _CSV_DATA.format(file=csv_file, column=csv_column))
    imports = "import keras\nimport numpy as np\n" + ("" if sine else "import pandas as pd\n")
    body = _BODY.format(
        window=config.window,
        targets=("z[index + 1][..., None]  # (N, window, 1): the next value at every step"
                 if many_to_many else "z[index[:, -1] + 1][:, None]  # (N, 1): the next value"),
        layers=layers, optimizer=OPTIMIZER_CLASSES[config.optimizer],
        learning_rate=config.learning_rate,
        clip=f", clipnorm={config.clipnorm}" if config.clipnorm else "",
        epochs=config.epochs, batch_size=config.batch_size,
        last_output="out[:, -1, 0]" if many_to_many else "out[:, 0]")
    return f"{imports}\n{data}DIFFERENCE = {int(difference)}\n{body}"
