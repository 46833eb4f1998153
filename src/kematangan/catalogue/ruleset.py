"""Problems of a ruleset file: reading it, its structure, its references, its
expressions.

Common parameters: ``key`` (the key as written), ``value`` (the value as written,
shortened), ``name`` and ``suggestion`` (an unknown name and the closest known one),
``allowed`` (the values allowed), ``limit`` (a reading limit), ``type``/``want``/
``got`` (expression types as the language names them: ``number``, ``boolean``,
``date``, ``text``, ``category 'usaha'``).
"""

from kematangan.catalogue import Message


def _m(id_problem: str, id_fix: str, en_problem: str, en_fix: str) -> Message:
    return Message(id=(id_problem, id_fix), en=(en_problem, en_fix))


def _limit_id(option: str) -> str:
    return f"atau naikkan batasnya dengan RulesetLimits({option}=...)"


def _limit_en(option: str) -> str:
    return f"or raise the limit with RulesetLimits({option}=...)"


MESSAGES: dict[str, Message] = {
    # ---- finding and reading the file ---------------------------------------
    "ruleset_message": _m("{message}", "", "{message}", ""),
    "ruleset_file_missing": _m(
        "berkas ruleset {path!r} tidak ada", "periksa nama dan folder berkasnya",
        "ruleset file {path!r} does not exist", "check the file name and folder"),
    "ruleset_file_unreadable": _m(
        "berkas ruleset {path!r} tidak dapat dibaca: {reason}",
        "periksa izin berkas dan jalurnya",
        "cannot read ruleset file {path!r}: {reason}",
        "check the file's permissions and path"),
    "ruleset_not_bundled": _m(
        "tidak ada ruleset bawaan {name!r} dan tidak ada berkas dengan nama itu",
        "beri jalur berkas YAML, atau salah satu ruleset bawaan: {bundled}",
        "no bundled ruleset {name!r} and no such file",
        "give the path of a YAML file, or a bundled ruleset: {bundled}"),
    "ruleset_not_bundled_close": _m(
        "tidak ada ruleset bawaan {name!r} dan tidak ada berkas dengan nama itu; "
        "mungkin maksudnya {suggestion!r}?",
        "ruleset bawaan: {bundled}",
        "no bundled ruleset {name!r} and no such file; did you mean "
        "{suggestion!r}?",
        "bundled: {bundled}"),
    "file_too_large": _m(
        "berkas berukuran {size} bita, di atas batas {limit} bita",
        "perkecil berkasnya, " + _limit_id("max_bytes"),
        "the file has {size} bytes, above the limit of {limit}",
        "make the file smaller, " + _limit_en("max_bytes")),
    "file_not_utf8": _m(
        "bita {byte} di posisi {offset} bukan UTF-8",
        "simpan berkas sebagai UTF-8 (di penyunting teks: Simpan Sebagai, "
        "pengodean UTF-8)",
        "byte {byte} at offset {offset} is not UTF-8",
        "save the file as UTF-8 (in a text editor: Save As, encoding UTF-8)"),
    "yaml_syntax": _m(
        "bukan YAML yang sah: {reason}",
        "periksa indentasi, tanda kutip dan tanda ':' di sekitar baris ini",
        "not valid YAML: {reason}",
        "check the indentation, quotes and ':' around this line"),
    "yaml_control_character": _m(
        "karakter kendali {char} tidak diizinkan dalam YAML",
        "hapus karakter itu (sering terbawa dari salinan teks)",
        "control character {char} is not allowed in YAML",
        "remove the character (it often comes with pasted text)"),
    "yaml_several_documents": _m(
        "berkas berisi lebih dari satu dokumen YAML ('---')",
        "satu berkas berisi satu ruleset; pisahkan ke berkas lain",
        "the file holds more than one YAML document ('---')",
        "keep one ruleset per file; move the others to their own files"),
    "yaml_too_deep": _m(
        "YAML bersarang lebih dari {limit} tingkat",
        "ratakan strukturnya, " + _limit_id("max_yaml_depth"),
        "the YAML nests more than {limit} levels deep",
        "flatten the structure, " + _limit_en("max_yaml_depth")),
    "yaml_too_many_nodes": _m(
        "YAML berisi lebih dari {limit} nilai (alias dihitung setiap kali dipakai)",
        "kurangi alias yang mengulang alias lain, " + _limit_id("max_yaml_nodes"),
        "the YAML holds more than {limit} values (an alias counts each time it is "
        "used)",
        "use fewer aliases that repeat other aliases, " + _limit_en("max_yaml_nodes")),
    "yaml_alias_cycle": _m(
        "alias *{anchor} merujuk ke nilai yang memuat dirinya sendiri",
        "hapus alias itu atau tulis nilainya langsung",
        "alias *{anchor} refers to the value that contains it",
        "remove the alias or write the value out"),
    "yaml_alias_undefined": _m(
        "alias *{anchor} belum didefinisikan (&{anchor})",
        "definisikan &{anchor} sebelum alias dipakai",
        "alias *{anchor} is not defined (&{anchor})",
        "define &{anchor} before the alias uses it"),
    "yaml_tag_unsupported": _m(
        "tag YAML {tag!r} tidak didukung", "hapus tag itu",
        "YAML tag {tag!r} is not supported", "remove the tag"),
    "yaml_value_unreadable": _m(
        "nilai {value!r} tidak dapat dibaca sebagai {tag!r}",
        "perbaiki nilainya atau hapus tag itu",
        "value {value!r} cannot be read as {tag!r}",
        "correct the value or remove the tag"),
    "yaml_merge_key": _m(
        "kunci gabungan '<<' tidak didukung",
        "tulis kuncinya satu per satu (alias biasa boleh dipakai)",
        "merge keys ('<<') are not supported",
        "write the keys out (plain aliases are allowed)"),
    "yaml_complex_key": _m(
        "kunci harus berupa teks biasa, bukan daftar atau pemetaan",
        "tulis kunci sebagai teks",
        "a key must be plain text, not a list or a mapping",
        "write the key as text"),
    "key_duplicate": _m(
        "kunci {key!r} ditulis dua kali (pertama di baris {first_line})",
        "hapus salah satunya",
        "duplicate key {key!r} (first at line {first_line})",
        "remove one of them"),
    "ruleset_not_mapping": _m(
        "berkas ruleset harus berupa pemetaan kunci (id, version, fields, criteria, "
        "...)", "mulailah berkas dengan 'id: ...' dan kunci lainnya",
        "a ruleset file must be a mapping of keys (id, version, fields, criteria, "
        "...)", "start the file with 'id: ...' and the other keys"),
    # ---- structure ----------------------------------------------------------
    "key_unknown": _m(
        "kunci {key!r} tidak dikenal", "kunci yang boleh di sini: {allowed}",
        "unknown key {key!r}", "keys allowed here: {allowed}"),
    "key_unknown_close": _m(
        "kunci {key!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown key {key!r} (did you mean {suggestion!r}?)",
        "rename it to {suggestion!r}"),
    "key_required": _m(
        "kunci wajib {key!r} tidak ada", "tambahkan {key!r}",
        "required key {key!r} is missing", "add {key!r}"),
    "key_not_text": _m(
        "kunci {key!r} harus berupa teks", "beri kunci nama (id) berupa teks",
        "key {key!r} must be text", "name the key with text"),
    "value_not_allowed": _m(
        "{key}: {value!r} tidak diizinkan", "gunakan salah satu: {allowed}",
        "{key}: {value!r} is not allowed", "use one of: {allowed}"),
    "value_not_allowed_close": _m(
        "{key}: {value!r} — mungkin maksudnya {suggestion!r}?",
        "gunakan salah satu: {allowed}",
        "{key}: {value!r} — did you mean {suggestion!r}?",
        "use one of: {allowed}"),
    "not_text": _m(
        "seharusnya teks, tertulis {value}", "tulis teks (beri tanda kutip bila "
        "perlu)", "expected text, got {value}", "write text (quote it if needed)"),
    "not_number": _m(
        "seharusnya angka, tertulis {value}", "tulis angka biasa, mis. 5 atau 0.75",
        "expected a number, got {value}", "write a plain number, e.g. 5 or 0.75"),
    "not_finite_number": _m(
        "seharusnya angka terhingga, tertulis {value}",
        "tulis angka terhingga; untuk tanpa batas, hapus kuncinya",
        "expected a finite number, got {value}",
        "write a finite number; for no bound, leave the key out"),
    "not_whole_number": _m(
        "seharusnya bilangan bulat, tertulis {value}", "tulis bilangan bulat",
        "expected a whole number, got {value}", "write a whole number"),
    "not_true_false": _m(
        "seharusnya true atau false, tertulis {value}", "tulis true atau false",
        "expected true or false, got {value}", "write true or false"),
    "not_mapping": _m(
        "seharusnya pemetaan kunci, tertulis {value}",
        "tulis pasangan 'kunci: nilai' di bawahnya",
        "expected a mapping of keys, got {value}", "write 'key: value' pairs"),
    "not_list": _m(
        "seharusnya daftar, tertulis {value}",
        "tulis daftar: [a, b] atau baris-baris '- a'",
        "expected a list, got {value}", "write a list: [a, b] or lines of '- a'"),
    "bad_text": _m(
        "seharusnya teks atau {{id: ..., en: ...}}, tertulis {value}",
        "tulis teks Indonesia, atau {{id: teks, en: text}}",
        "expected text or {{id: ..., en: ...}}, got {value}",
        "write the Indonesian text, or {{id: teks, en: text}}"),
    "bad_interval_type": _m(
        "seharusnya interval seperti '[0, 245]', tertulis {value}",
        "tulis interval sebagai teks bertanda kutip, mis. \"[0, 245]\"",
        "expected an interval such as '[0, 245]', got {value}",
        "write the interval as quoted text, e.g. \"[0, 245]\""),
    "text_or_whole_number": _m(
        "seharusnya teks kategori atau bilangan bulat, tertulis {value}",
        "tulis nilai kategori atau bilangan bulat",
        "expected a category text or a whole number, got {value}",
        "write a category value or a whole number"),
    "bad_identifier": _m(
        "{value!r} bukan id yang sah",
        "gunakan huruf kecil, angka dan '_', diawali huruf (mis. 'rapat_rutin')",
        "{value!r} is not a valid id",
        "use lowercase letters, digits and '_', starting with a letter (e.g. "
        "'regular_meetings')"),
    "bad_slug": _m(
        "{value!r} bukan id ruleset yang sah",
        "gunakan huruf kecil, angka dan '-', diawali huruf (mis. 'ppmk-ksm')",
        "{value!r} is not a valid ruleset id",
        "use lowercase letters, digits and '-', starting with a letter (e.g. "
        "'ppmk-ksm')"),
    "bad_version": _m(
        "{value!r} bukan versi semantik", "tulis versi sebagai MAJOR.MINOR.PATCH, "
        "mis. \"1.0.0\"", "{value!r} is not a semantic version",
        "write the version as MAJOR.MINOR.PATCH, e.g. \"1.0.0\""),
    "text_too_long": _m(
        "{key!r} lebih panjang dari {max} karakter", "perpendek teksnya",
        "{key!r} is longer than {max} characters", "shorten it"),
    "empty_text": _m(
        "{key!r} kosong", "tulis teksnya", "{key!r} is empty", "write the text"),
    "list_too_short": _m(
        "{key!r} perlu paling sedikit {min} butir", "tambahkan butirnya",
        "{key!r} needs at least {min} item(s)", "add the items"),
    "number_too_small": _m(
        "{key!r} bernilai {value}, di bawah batas terendah {min}",
        "tulis nilai paling sedikit {min}",
        "{key!r} is {value}, below the minimum {min}",
        "write a value of at least {min}"),
    "invalid_value": _m(
        "nilai {key!r} tidak sah: {message}", "perbaiki nilainya",
        "invalid value for {key!r}: {message}", "correct the value"),
    "interval_syntax": _m(
        "{value!r} bukan interval",
        "tulis '[bawah, atas]': '[' atau ']' memasukkan batas, '(' atau ')' "
        "mengecualikannya, mis. '[0, 245]'",
        "{value!r} is not an interval",
        "write it as '[low, high]' with '[' or ']' to include a bound and '(' or "
        "')' to exclude it, e.g. '[0, 245]'"),
    "interval_empty": _m(
        "interval {value!r} kosong: batas bawahnya tidak di bawah batas atasnya",
        "tukar atau perbaiki batasnya",
        "interval {value!r} is empty: its low bound is not below its high bound",
        "swap or correct the bounds"),
    "interval_infinite_closed": _m(
        "interval {value!r}: batas tak hingga harus memakai '(' atau ')'",
        "tulis mis. '[0.9, inf)'",
        "interval {value!r}: an infinite bound must use '(' or ')'",
        "write e.g. '[0.9, inf)'"),
    "interval_not_number": _m(
        "interval {value!r}: batasnya bukan angka terhingga",
        "tulis batas berupa angka, atau inf/-inf dengan '(' atau ')'",
        "interval {value!r}: a bound is not a finite number",
        "write the bounds as numbers, or inf/-inf with '(' or ')'"),
    "category_needs_list": _m(
        "field kategori perlu daftar 'categories' yang tidak kosong",
        "tambahkan categories: [a, b, ...]",
        "a category field needs a non-empty 'categories' list",
        "add categories: [a, b, ...]"),
    "categories_duplicate": _m(
        "'categories' memuat {value!r} lebih dari sekali", "hapus yang dobel",
        "'categories' lists {value!r} more than once", "remove the duplicate"),
    "categories_not_for_type": _m(
        "'categories' hanya untuk field kategori, bukan {type}",
        "hapus 'categories' atau ubah type menjadi category",
        "'categories' is only for category fields, not {type}",
        "remove 'categories' or make the type category"),
    "bounds_not_for_type": _m(
        "'min'/'max' tidak berlaku untuk field {type}", "hapus 'min'/'max'",
        "'min'/'max' do not apply to a {type} field", "remove 'min'/'max'"),
    "min_above_max": _m(
        "min {min} di atas max {max}", "tukar atau perbaiki batasnya",
        "min {min} is above max {max}", "swap or correct the bounds"),
    "unconfirmed_needs_bound": _m(
        "'unconfirmed' menyebut {bound!r}, tetapi field ini tidak punya {bound}",
        "tambahkan {bound}: ... atau hapus {bound!r} dari unconfirmed",
        "'unconfirmed' names {bound!r}, but the field has no {bound}",
        "add {bound}: ... or remove {bound!r} from unconfirmed"),
    "display_percent_needs_number": _m(
        "display: percent hanya untuk angka, bukan field {type}",
        "hapus display: percent",
        "display: percent is only for numbers, not a {type} field",
        "remove display: percent"),
    "assessment_date_needs_date": _m(
        "role: assessment_date hanya untuk field tanggal, bukan {type}",
        "ubah type menjadi date atau hapus role",
        "role: assessment_date is only for a date field, not a {type} field",
        "make the type date or remove the role"),
    "condition_missing": _m(
        "kriteria tidak punya syarat", "tambahkan tepat satu dari: {kinds}",
        "the criterion has no condition", "add exactly one of: {kinds}"),
    "conditions_several": _m(
        "kriteria punya lebih dari satu syarat: {found}",
        "pertahankan satu saja; gabungkan dengan all_of atau any_of bila perlu",
        "the criterion has more than one condition: {found}",
        "keep one; combine criteria with all_of or any_of if needed"),
    "points_not_for_kind": _m(
        "'points' tidak berlaku untuk kriteria {kind}: poinnya berasal dari {kind}",
        "hapus 'points'",
        "'points' does not apply to a {kind} criterion: its points come from the "
        "{kind}", "remove 'points'"),
    "gate_needs_stage": _m(
        "gerbang (gate) perlu 'stage' tempat ia diwajibkan",
        "tambahkan stage: ... atau hapus gate: true",
        "a gate needs a 'stage' to be required for",
        "add stage: ... or remove gate: true"),
    # ---- references and meaning ---------------------------------------------
    "combines_conditional": _m(
        "kriteria {id!r} hanya berlaku bila applies_when terpenuhi, sehingga tidak "
        "dapat digabung dengan all_of, any_of atau at_least",
        "gabungkan syarat-syaratnya dalam satu expr, atau hapus applies_when",
        "criterion {id!r} applies only when its applies_when holds, so it cannot "
        "be combined with all_of, any_of or at_least",
        "combine the conditions in one expr, or remove applies_when"),
    "check_reads_derived": _m(
        "pemeriksaan konsistensi membaca nilai turunan {name!r}; pemeriksaan hanya "
        "membaca field", "tulis pemeriksaan dengan field yang membentuk {name!r}",
        "a consistency check reads the derived value {name!r}; checks read fields "
        "only", "write the check over the fields {name!r} is made from"),
    "assessment_date_twice": _m(
        "field {id!r} juga ditandai role: assessment_date, padahal {first!r} sudah",
        "tandai satu field saja sebagai tanggal penilaian",
        "field {id!r} is also marked role: assessment_date, but {first!r} already is",
        "mark one field only as the assessment date"),
    "duplicate_id": _m(
        "id {id!r} dipakai dua kali", "beri setiap butir id sendiri",
        "duplicate id {id!r}", "give each item its own id"),
    "duplicate_value_id": _m(
        "id {id!r} sudah dipakai oleh field atau nilai turunan",
        "beri nilai turunan ini id sendiri",
        "id {id!r} is already a field or derived value",
        "give the derived value its own id"),
    "group_id_is_field": _m(
        "id kelompok {id!r} juga dipakai sebagai field yang dinilai",
        "beri id kelompok nama sendiri",
        "the group id {id!r} is also a scored field", "give it its own name"),
    "unknown_field": _m(
        "field {name!r} tidak dikenal", "gunakan field yang didefinisikan ruleset",
        "unknown field {name!r}", "use a field the ruleset defines"),
    "unknown_field_close": _m(
        "field {name!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown field {name!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "unknown_stage": _m(
        "tahap {name!r} tidak dikenal", "gunakan tahap yang ada di 'stages'",
        "unknown stage {name!r}", "use a stage listed under 'stages'"),
    "unknown_stage_close": _m(
        "tahap {name!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown stage {name!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "unknown_criterion": _m(
        "kriteria {name!r} tidak dikenal", "gunakan kriteria yang ada di 'criteria'",
        "unknown criterion {name!r}", "use a criterion listed under 'criteria'"),
    "unknown_criterion_close": _m(
        "kriteria {name!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown criterion {name!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "unknown_class": _m(
        "kelas {name!r} tidak dikenal", "gunakan kelas yang ada di 'classes'",
        "unknown class {name!r}", "use a class listed under 'classes'"),
    "unknown_class_close": _m(
        "kelas {name!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown class {name!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "condition_needs_number": _m(
        "syarat {kind} perlu angka, tetapi {field!r} bertipe {type}",
        "pilih field angka, atau gunakan syarat lain",
        "a {kind} condition needs a number, but {field!r} is {type}",
        "choose a number field, or another kind of condition"),
    "condition_needs_boolean": _m(
        "syarat boolean perlu nilai true/false, tetapi {field!r} bertipe {type}",
        "pilih field boolean, atau gunakan threshold atau in_set",
        "a boolean condition needs a true/false value, but {field!r} is {type}",
        "choose a boolean field, or use threshold or in_set"),
    "category_unknown": _m(
        "{value!r} bukan kategori dari {field!r}", "gunakan salah satu: {allowed}",
        "{value!r} is not a category of {field!r}", "use one of: {allowed}"),
    "category_unknown_close": _m(
        "{value!r} bukan kategori dari {field!r} (mungkin maksudnya "
        "{suggestion!r}?)", "ganti menjadi {suggestion!r}",
        "{value!r} is not a category of {field!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "in_set_not_whole": _m(
        "{field!r} berupa angka, jadi nilainya harus bilangan bulat, bukan {value!r}",
        "tulis bilangan bulat, atau gunakan range untuk pecahan",
        "{field!r} is a number, so the values must be whole numbers, not {value!r}",
        "write whole numbers, or use a range for fractions"),
    "in_set_wrong_type": _m(
        "syarat in_set perlu field kategori atau angka, tetapi {field!r} bertipe "
        "{type}", "gunakan syarat boolean atau threshold",
        "an in_set condition needs a category or number, but {field!r} is {type}",
        "use a boolean or threshold condition"),
    "score_needs_field": _m(
        "syarat score membaca field yang punya max, dan {field!r} adalah nilai "
        "turunan", "pilih field dengan min dan max",
        "a score condition reads a field with a max, and {field!r} is a derived "
        "value", "choose a field with min and max"),
    "score_needs_bounds": _m(
        "field {field!r} perlu min >= 0 dan max agar dapat memberi poin",
        "tambahkan min dan max pada field itu",
        "field {field!r} needs min >= 0 and a max to give points",
        "add min and max to the field"),
    "met_at_outside": _m(
        "met_at {met_at} di luar batas {field!r}, [{min}, {max}]",
        "tulis met_at dari {min} sampai {max}",
        "met_at {met_at} is outside the bounds of {field!r}, [{min}, {max}]",
        "write a met_at from {min} to {max}"),
    "interval_order": _m(
        "{interval} harus sesudah {previous}",
        "urutkan interval dari rendah ke tinggi",
        "{interval} must come after {previous}", "list intervals from low to high"),
    "interval_overlap": _m(
        "{interval} bertumpang tindih dengan {previous}",
        "ubah batasnya agar setiap nilai masuk satu interval saja",
        "{interval} overlaps {previous}",
        "change the bounds so that each value falls in one interval"),
    "at_least_too_many": _m(
        "k={k} tetapi hanya {count} kriteria yang didaftar, jadi tidak pernah "
        "terpenuhi", "turunkan k atau tambahkan kriteria",
        "k={k} but only {count} criteria are listed, so it can never be met",
        "lower k or list more criteria"),
    "refers_to_itself": _m(
        "kriteria {id!r} merujuk dirinya sendiri", "hapus rujukan itu",
        "criterion {id!r} refers to itself", "remove the reference"),
    "criteria_cycle": _m(
        "kriteria saling merujuk dalam lingkaran: {cycle}",
        "putuskan lingkarannya", "criteria refer to each other in a cycle: {cycle}",
        "break the cycle"),
    "derived_cycle": _m(
        "nilai turunan saling merujuk dalam lingkaran: {cycle}",
        "putuskan lingkarannya",
        "derived values refer to each other in a cycle: {cycle}", "break the cycle"),
    "stage_no_gate": _m(
        "tahap {stage!r} tidak punya gerbang dan min_points, jadi setiap kelompok "
        "mencapainya", "tambahkan kriteria gerbang atau min_points",
        "stage {stage!r} has no gate and no min_points, so every group would reach "
        "it", "add a gate criterion or min_points"),
    "stage_unreachable": _m(
        "tahap {stage!r} tidak terjangkau: perlu {needs} poin, sedangkan "
        "kriterianya memberi paling banyak {top}",
        "turunkan min_points atau tambah poin kriterianya",
        "stage {stage!r} is unreachable: it needs {needs} points but its criteria "
        "give at most {top}", "lower min_points or give its criteria more points"),
    "class_low_uncovered": _m(
        "kelas terendah {interval} tidak mencakup skor terendah {low}",
        "mulai kelas terendah dari {low}",
        "the lowest class {interval} does not include the lowest score {low}",
        "start the lowest class at {low}"),
    "class_high_uncovered": _m(
        "kelas tertinggi {interval} tidak mencakup skor tertinggi {high}",
        "akhiri kelas tertinggi di {high}",
        "the highest class {interval} does not include the highest score {high}",
        "end the highest class at {high}"),
    "class_gap": _m(
        "ada celah antara {previous} dan {interval}: sebagian skor tidak masuk "
        "kelas mana pun", "sambungkan batas kedua kelas",
        "gap between {previous} and {interval}: some scores fall in no class",
        "make the two classes meet"),
    "class_gap_whole": _m(
        "ada celah antara {previous} dan {interval}: sebagian skor bulat tidak "
        "masuk kelas mana pun", "sambungkan batas kedua kelas",
        "gap between {previous} and {interval}: some whole-number scores fall in "
        "no class", "make the two classes meet"),
    "test_name_duplicate": _m(
        "nama uji {name!r} dipakai dua kali", "beri setiap uji nama sendiri",
        "duplicate test name {name!r}", "give each test its own name"),
    "expression_type": _m(
        "ekspresi menghasilkan {got}, bukan {want}",
        "ubah ekspresinya agar menghasilkan {want}",
        "the expression gives {got}, not {want}",
        "change the expression to give {want}"),
    # ---- expressions: syntax ------------------------------------------------
    "expr_bad_char": _m(
        "karakter {char!r} tidak terduga", "hapus atau ganti karakter itu",
        "unexpected character {char!r}", "remove or replace the character"),
    "expr_bad_char_logic": _m(
        "karakter {char!r} tidak terduga", "gunakan 'and'/'or'/'not' untuk logika",
        "unexpected character {char!r}", "use 'and'/'or'/'not' for logic"),
    "expr_bad_char_equals": _m(
        "karakter '=' tidak terduga", "gunakan '==' untuk membandingkan",
        "unexpected character '='", "use '==' to compare"),
    "expr_empty": _m(
        "ekspresi kosong", "tulis ekspresinya", "empty expression",
        "write the expression"),
    "expr_expected_token": _m(
        "seharusnya ada {token!r} di sini", "tambahkan {token!r}",
        "expected {token!r} here", "add {token!r}"),
    "expr_expected_value": _m(
        "seharusnya ada nilai, nama atau '(' di sini",
        "lengkapi ekspresinya", "expected a value, a name or '(' here",
        "complete the expression"),
    "expr_expected_operator": _m(
        "seharusnya ada operator atau akhir ekspresi di sini",
        "gabungkan bagian-bagiannya dengan operator (and, or, +, >=, ...)",
        "expected an operator or the end of the expression here",
        "join the parts with an operator (and, or, +, >=, ...)"),
    "expr_expected_literal": _m(
        "seharusnya angka, teks bertanda kutip, true atau false di dalam daftar",
        "tulis nilai tetap di dalam [...]",
        "expected a number, a quoted text, true or false in the list",
        "write fixed values inside [...]"),
    "expr_chained": _m(
        "perbandingan tidak boleh dirangkai", "gabungkan dengan 'and': a < b and "
        "b < c", "comparisons cannot be chained",
        "join them with 'and': a < b and b < c"),
    "expr_unknown_function": _m(
        "fungsi {name!r} tidak dikenal", "fungsi yang ada: {known}",
        "unknown function {name!r}", "known functions: {known}"),
    "expr_unknown_function_close": _m(
        "fungsi {name!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown function {name!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "expr_arg_count": _m(
        "{fn}() memerlukan {count} argumen, diberi {got}",
        "beri {count} argumen",
        "{fn}() takes {count} argument(s), got {got}", "give {count} argument(s)"),
    "expr_arg_count_min": _m(
        "{fn}() memerlukan paling sedikit {count} argumen, diberi {got}",
        "beri paling sedikit {count} argumen",
        "{fn}() takes at least {count} arguments, got {got}",
        "give at least {count} arguments"),
    "expr_date_literal": _m(
        "date() memerlukan tanggal bertanda kutip", "tulis mis. date(\"2024-01-31\")",
        "date() takes a quoted date", "write e.g. date(\"2024-01-31\")"),
    "expr_bad_date": _m(
        "{value!r} bukan tanggal", "tulis tanggal sebagai TTTT-BB-HH",
        "{value!r} is not a date", "write it as YYYY-MM-DD"),
    "expr_number_too_large": _m(
        "angka {text} terlalu besar untuk dihitung", "tulis angka yang lebih kecil",
        "the number {text} is too large to compute with", "write a smaller number"),
    "expr_too_deep": _m(
        "ekspresi bersarang lebih dari {limit} tingkat",
        "pecah menjadi nilai turunan (derived), " + _limit_id("max_expression_depth"),
        "the expression nests more than {limit} levels deep",
        "split it into derived values, " + _limit_en("max_expression_depth")),
    # ---- expressions: types -------------------------------------------------
    "expr_unknown_name": _m(
        "nama {name!r} tidak dikenal", "gunakan field atau nilai turunan ruleset",
        "unknown name {name!r}", "use a field or derived value of the ruleset"),
    "expr_unknown_name_close": _m(
        "nama {name!r} tidak dikenal (mungkin maksudnya {suggestion!r}?)",
        "ganti menjadi {suggestion!r}",
        "unknown name {name!r} (did you mean {suggestion!r}?)",
        "write {suggestion!r}"),
    "expr_needs": _m(
        "{where} memerlukan {want}, bukan {got}", "ubah operannya menjadi {want}",
        "{where} needs {want}, not {got}", "give it {want}"),
    "expr_category_operator": _m(
        "kategori hanya dapat dibandingkan dengan '==' atau '!='",
        "gunakan 'in [...]' untuk beberapa nilai",
        "categories can only be compared with '==' or '!='",
        "use 'in [...]' for several values"),
    "expr_compare_types": _m(
        "tidak dapat membandingkan {left} dengan {right}",
        "bandingkan nilai yang setipe",
        "cannot compare {left} with {right}", "compare values of one type"),
    "expr_compare_texts": _m(
        "tidak dapat membandingkan dua teks",
        "bandingkan field kategori dengan teks bertanda kutip",
        "cannot compare two texts", "compare a category field with a quoted text"),
    "expr_boolean_order": _m(
        "{op!r} tidak berlaku untuk nilai true/false", "gunakan '==' atau '!='",
        "{op!r} does not apply to true/false values", "use '==' or '!='"),
    "expr_list_quoted": _m(
        "nilai {type} berupa teks bertanda kutip", "beri tanda kutip pada nilainya",
        "{type} values are quoted texts", "quote the values"),
    "expr_list_numbers": _m(
        "daftar ini perlu angka", "tulis angka di dalam [...]",
        "the list needs numbers", "write numbers inside [...]"),
    "expr_in_type": _m(
        "'in' tidak berlaku untuk {type}", "gunakan '==' atau fungsi lain",
        "'in' does not apply to {type}", "use '==' or another function"),
    "expr_missing_argument": _m(
        "{fn}() memerlukan nama field atau nilai turunan", "tulis nama saja",
        "{fn}() takes a field or derived name", "give a name only"),
    "expr_coalesce_types": _m(
        "coalesce() memerlukan dua nilai setipe, diberi {left} dan {right}",
        "beri nilai pengganti yang setipe",
        "coalesce() needs two values of one type, got {left} and {right}",
        "give a default of the same type"),
}
