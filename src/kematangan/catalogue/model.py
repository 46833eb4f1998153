"""Saved model files that cannot be used (:class:`~kematangan.errors.ModelError`).

The problem's ``path`` names the field (``coef[3]``, ``scaler.scale``), its ``file``
the model file. Parameters: ``got`` (the value found, written as JSON and shortened:
``"0.5"``, ``true``, ``NaN``), ``key`` and ``allowed`` (object keys), ``min``/``max``
(a range), ``length``/``expected`` (list lengths), ``size``/``limit`` (bytes or
levels), ``reason``/``line``/``column`` (why a file is not readable JSON), and the
two rulesets' ``id``/``version``/``hash`` for a model fitted with another ruleset.
"""

from kematangan.catalogue import Message

_REFIT_ID = "latih ulang model dengan 'kematangan model fit' dan jangan ubah berkasnya"
_REFIT_EN = "fit the model again with 'kematangan model fit' and do not edit the file"
_GIVE_ID = "berikan berkas yang ditulis oleh 'kematangan model fit'"
_GIVE_EN = "give a file written by 'kematangan model fit' (or MaturityModel.save)"

MESSAGES: dict[str, Message] = {
    # -- the file --------------------------------------------------------------
    "model_unreadable": Message(
        id=("berkas model tidak dapat dibaca: {reason}",
            "periksa jalurnya dan izin berkasnya"),
        en=("cannot read model file: {reason}", "check the path and the permissions"),
    ),
    "model_not_a_file": Message(
        id=("bukan berkas biasa", "berikan jalur sebuah berkas model"),
        en=("not a regular file", "give the path of a model file"),
    ),
    "model_file_too_large": Message(
        id=("berkas berukuran {size} bita, melebihi batas {limit} bita untuk berkas "
            "model",
            "berkas model biasanya jauh lebih kecil; bila model ini memang sebesar "
            "itu, naikkan batasnya: MaturityModel.load(..., max_bytes=...)"),
        en=("the file has {size} bytes, more than the limit of {limit} bytes for a "
            "model file",
            "model files are far smaller; if this model really is that large, raise "
            "the limit: MaturityModel.load(..., max_bytes=...)"),
    ),
    "model_not_utf8": Message(
        id=("berkas bukan teks UTF-8", _GIVE_ID + " (JSON dalam UTF-8)"),
        en=("the file is not UTF-8 text", _GIVE_EN + " (JSON in UTF-8)"),
    ),
    "model_too_deep": Message(
        id=("JSON bersarang lebih dari {limit} tingkat; berkas model paling dalam 3 "
            "tingkat", _GIVE_ID),
        en=("the JSON is nested more than {limit} levels deep; a model file is at "
            "most 3", _GIVE_EN),
    ),
    "model_invalid_json": Message(
        id=("bukan JSON yang sah: {reason} (baris {line}, kolom {column})",
            "berkas rusak atau terpotong: " + _REFIT_ID),
        en=("not valid JSON: {reason} (line {line}, column {column})",
            "the file is damaged or cut short: " + _REFIT_EN),
    ),
    "model_duplicate_key": Message(
        id=("kunci {key!r} muncul dua kali dalam satu objek", _REFIT_ID),
        en=("the key {key!r} appears twice in one object", _REFIT_EN),
    ),
    "model_not_a_model": Message(
        id=("ini bukan berkas model kematangan", _GIVE_ID),
        en=("this is not a kematangan model file", _GIVE_EN),
    ),
    "model_format_version": Message(
        id=("versi format model {got}; kematangan ini membaca versi {supported}",
            "latih ulang model dengan kematangan ini"),
        en=("model format version {got}; this kematangan reads version {supported}",
            "fit the model again with this kematangan"),
    ),
    # -- keys and types --------------------------------------------------------
    "model_missing_key": Message(
        id=("kunci wajib {key!r} tidak ada", _REFIT_ID),
        en=("required key {key!r} is missing", _REFIT_EN),
    ),
    "model_unknown_key": Message(
        id=("kunci {key!r} tidak dikenal",
            "hapus kunci itu; bagian ini hanya berisi: {allowed}"),
        en=("unknown key {key!r}", "remove it; this part holds only: {allowed}"),
    ),
    "model_expected_object": Message(
        id=("seharusnya objek JSON {{...}}, tertulis {got}", _REFIT_ID),
        en=("expected a JSON object {{...}}, got {got}", _REFIT_EN),
    ),
    "model_expected_list": Message(
        id=("seharusnya daftar JSON [...], tertulis {got}", _REFIT_ID),
        en=("expected a JSON list [...], got {got}", _REFIT_EN),
    ),
    "model_expected_number": Message(
        id=("seharusnya angka, tertulis {got}",
            "tulis angka JSON biasa (bukan teks, true/false atau null); " + _REFIT_ID),
        en=("expected a number, got {got}",
            "write a plain JSON number (not text, true/false or null); " + _REFIT_EN),
    ),
    "model_expected_whole": Message(
        id=("seharusnya bilangan bulat, tertulis {got}", _REFIT_ID),
        en=("expected a whole number, got {got}", _REFIT_EN),
    ),
    "model_expected_text": Message(
        id=("seharusnya teks, tertulis {got}", _REFIT_ID),
        en=("expected a text, got {got}", _REFIT_EN),
    ),
    "model_expected_boolean": Message(
        id=("seharusnya true atau false, tertulis {got}", _REFIT_ID),
        en=("expected true or false, got {got}", _REFIT_EN),
    ),
    # -- values ----------------------------------------------------------------
    "model_not_finite": Message(
        id=("seharusnya angka terhingga, tertulis {got}",
            "latih ulang model; angka model yang dilatih selalu terhingga"),
        en=("expected a finite number, got {got}",
            "fit the model again; a fitted model's numbers are always finite"),
    ),
    "model_not_positive": Message(
        id=("harus lebih dari 0, tertulis {got}",
            "latih ulang model; pada model yang dilatih nilai ini selalu lebih dari 0"),
        en=("must be greater than 0, got {got}",
            "fit the model again; in a fitted model this is always greater than 0"),
    ),
    "model_out_of_range": Message(
        id=("seharusnya nilai {range}, tertulis {got}", _REFIT_ID),
        en=("expected a value {range}, got {got}", _REFIT_EN),
    ),
    "model_unknown_choice": Message(
        id=("{got} tidak dikenal", "gunakan salah satu: {allowed!r}"),
        en=("{got} is not known", "use one of: {allowed!r}"),
    ),
    "model_bad_hash": Message(
        id=("seharusnya hash isi aturan (64 digit heksadesimal), tertulis {got}",
            _REFIT_ID),
        en=("expected a ruleset content hash (64 hexadecimal digits), got {got}",
            _REFIT_EN),
    ),
    "model_overflow": Message(
        id=("koefisien {coef} dibagi skala {scale} bukan angka terhingga",
            "latih ulang model; skala sekecil itu tidak muncul pada model yang "
            "dilatih"),
        en=("coefficient {coef} over scale {scale} is not a finite number",
            "fit the model again; a fitted model has no scale that small"),
    ),
    # -- agreement between fields ----------------------------------------------
    "model_length": Message(
        id=("berisi {length} nilai, padahal model punya {expected} fitur "
            "(daftar 'features')",
            "latih ulang model; fill, scaler.mean, scaler.scale dan coef berisi satu "
            "angka per fitur"),
        en=("holds {length} values, but the model has {expected} features (its "
            "'features' list)",
            "fit the model again; fill, scaler.mean, scaler.scale and coef hold one "
            "number per feature"),
    ),
    "model_empty": Message(
        id=("daftar kosong", _REFIT_ID),
        en=("the list is empty", _REFIT_EN),
    ),
    "model_calibration_lengths": Message(
        id=("calibration.x berisi {length} nilai tetapi calibration.y {expected}",
            _REFIT_ID),
        en=("calibration.x holds {length} values but calibration.y {expected}",
            _REFIT_EN),
    ),
    "model_not_increasing": Message(
        id=("ambang isotonik harus naik: {got} sesudah {previous}", _REFIT_ID),
        en=("isotonic thresholds must increase: {got} follows {previous}",
            _REFIT_EN),
    ),
    "model_decreasing": Message(
        id=("peluang isotonik tidak boleh turun: {got} sesudah {previous}",
            _REFIT_ID),
        en=("isotonic probabilities must not decrease: {got} follows {previous}",
            _REFIT_EN),
    ),
    "model_method_mismatch": Message(
        id=("params.method {got!r} tidak sama dengan calibration.method {expected!r}",
            _REFIT_ID),
        en=("params.method {got!r} differs from calibration.method {expected!r}",
            _REFIT_EN),
    ),
    "model_training_counts": Message(
        id=("n {got} bukan positives + negatives ({positives} + {negatives})",
            _REFIT_ID),
        en=("n {got} is not positives + negatives ({positives} + {negatives})",
            _REFIT_EN),
    ),
    # -- the ruleset -----------------------------------------------------------
    "model_ruleset_mismatch": Message(
        id=("model dilatih dengan aturan {model_id!r} {model_version} (hash "
            "{model_hash}), tetapi aturan yang diberikan {id!r} {version} (hash "
            "{hash}); fiturnya tidak akan cocok",
            "muat aturan yang dipakai untuk melatih model, atau latih ulang model"),
        en=("the model was fitted with ruleset {model_id!r} {model_version} (hash "
            "{model_hash}), but the ruleset given is {id!r} {version} (hash {hash}); "
            "its features would not line up",
            "load the ruleset the model was fitted with, or refit the model"),
    ),
    "model_features_mismatch": Message(
        id=("fitur model {got!r} adalah {expected!r} pada aturan ini",
            "latih ulang model dengan aturan ini"),
        en=("the model's feature {got!r} is {expected!r} in this ruleset",
            "refit the model with this ruleset"),
    ),
    "model_feature_count": Message(
        id=("model punya {length} fitur, aturan ini {expected}",
            "latih ulang model dengan aturan ini"),
        en=("the model has {length} features, this ruleset {expected}",
            "refit the model with this ruleset"),
    ),
}
