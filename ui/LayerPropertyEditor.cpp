// The selected layer's arguments, as a form whose rows come from the layer registry.

#include "LayerPropertyEditor.h"

#include "LayerArgTips.h"
#include "ScientificSpinBox.h"
#include "nn/LayerRegistry.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace dl {

// The widgets of one argument: made once for every key (and type) some registered kind has, put in
// the form while the shown kind has the argument. `arg` and `index` say which kind's argument the
// row edits now (null: the row is not in the form).
struct LayerPropertyEditor::Row {
  std::string key;
  ArgType type = ArgType::Int;
  QLabel* label = nullptr;
  QWidget* field = nullptr;  // what the form holds: the editor, or the row of a pair's two spin boxes
  QSpinBox* spins[2] = {};   // Int: [0]; IntPair: both
  QDoubleSpinBox* number = nullptr;
  QDoubleSpinBox* bounds[2] = {};  // Range: lower, upper
  QCheckBox* check = nullptr;
  QComboBox* combo = nullptr;  // Choice, Activation, Initializer: item data holds the value
  const LayerArg* arg = nullptr;
  int index = -1;

  // The widgets that take focus, in Tab order.
  std::vector<QWidget*> focusWidgets() const {
    switch (type) {
      case ArgType::Int:
        return {spins[0]};
      case ArgType::IntPair:
        return {spins[0], spins[1]};
      case ArgType::Number:
        return {number};
      case ArgType::Bool:
        return {check};
      case ArgType::Range:
        return {bounds[0], bounds[1]};
      default:
        return {combo};
    }
  }
};

namespace {

// Wider than this, a number is edited as 0.2, 1e-04, 1e+06 with 1-2-5 steps (ScientificSpinBox).
constexpr double kWideRange = 100.0;
// A narrow number's decimals (rate: 0.25) and the largest value below an open upper end.
constexpr int kNarrowDecimals = 2;

QSpinBox* makeSpin(QWidget* parent) {
  auto* spin = new QSpinBox(parent);
  spin->setAccelerated(true);
  spin->setKeyboardTracking(false);  // typing "300" is one change, not 3, 30, 300
  return spin;
}

// Two spin boxes side by side: "5 × 5".
QWidget* pairRow(QSpinBox* a, QSpinBox* b, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(a, 1);
  layout->addWidget(new QLabel(QStringLiteral("×"), row));
  layout->addWidget(b, 1);
  return row;
}

// A factor's bound: -1 to 1 in hundredths (a nullable one goes one lower, to its automatic value).
QDoubleSpinBox* makeBound(QWidget* parent) {
  auto* spin = new QDoubleSpinBox(parent);
  spin->setDecimals(3);
  spin->setSingleStep(0.01);
  spin->setKeyboardTracking(false);
  return spin;
}

// A factor's two bounds side by side: "-0.1 to 0.1".
QWidget* rangeRow(QDoubleSpinBox* a, QDoubleSpinBox* b, QWidget* parent) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(a, 1);
  layout->addWidget(new QLabel(LayerPropertyEditor::tr("to"), row));
  layout->addWidget(b, 1);
  return row;
}

// The objectName stem of an argument's widgets: the key in camelCase ("use_bias": "useBias"), but
// for the names the builder's tests and the main window have always used.
QString objectStem(const std::string& key) {
  static const std::pair<const char*, const char*> kept[] = {{"kernel_size", "kernel"},
                                                             {"strides", "stride"},
                                                             {"pool_size", "pool"},
                                                             {"kernel_initializer", "kernelInit"},
                                                             {"bias_initializer", "biasInit"}};
  for (const auto& [k, stem] : kept)
    if (key == k) return QLatin1String(stem);
  QString stem;
  bool upper = false;
  for (char c : key) {
    if (c == '_') {
      upper = true;
      continue;
    }
    stem += upper ? QChar::fromLatin1(c).toUpper() : QChar::fromLatin1(c);
    upper = false;
  }
  return stem;
}

// The form's label: the key, with initializers shortened ("kernel_init") to leave room for the
// field; a check box carries its key itself.
QString labelText(const std::string& key, ArgType type) {
  if (type == ArgType::Bool) return {};
  QString text = QString::fromStdString(key);
  if (text.endsWith(QLatin1String("_initializer"))) text.chop(QLatin1String("ializer").size());
  return text;
}

// A combo box's item for `value` (adding one for a value that is not among its choices, such as a
// name from a file).
void showComboValue(QComboBox* combo, const std::string& value) {
  const QString v = QString::fromStdString(value);
  int i = combo->findData(v);
  if (i < 0) {
    combo->addItem(v, v);
    i = combo->count() - 1;
  }
  combo->setCurrentIndex(i);
}

}  // namespace

LayerPropertyEditor::LayerPropertyEditor(QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  m_title = new QLabel(this);
  m_title->setObjectName(QStringLiteral("propertyTitle"));
  QFont bold = m_title->font();
  bold.setBold(true);
  m_title->setFont(bold);
  outer->addWidget(m_title);
  m_hint = new QLabel(tr("Select a layer to edit its arguments."), this);
  m_hint->setWordWrap(true);
  m_hint->setEnabled(false);
  outer->addWidget(m_hint);

  m_form = new QFormLayout;
  m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  outer->addLayout(m_form);
  outer->addStretch(1);

  m_name = new QLineEdit(this);
  m_name->setObjectName(QStringLiteral("nameEdit"));
  m_name->setClearButtonEnabled(true);
  m_name->setValidator(
      new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9_.\\-]*")), m_name));
  m_name->setToolTip(tr("The layer's name; empty for Keras's automatic name"));
  m_nameError = new QLabel(this);
  m_nameError->setObjectName(QStringLiteral("nameErrorLabel"));
  m_nameError->setWordWrap(true);
  m_nameError->setStyleSheet(QStringLiteral("QLabel { color: #b01010; }"));
  m_form->addRow(tr("name"), m_name);
  // Last: a refused name's message appears below every field, so nothing moves while typing. The
  // arguments' rows go between the two (placeRows).
  m_form->addRow(QString(), m_nameError);
  connect(m_name, &QLineEdit::editingFinished, this, &LayerPropertyEditor::editName);

  addRows();

  // Focus entering or leaving a field ends an edit: a later change of the same field is a new
  // undo step.
  connect(qApp, &QApplication::focusChanged, this, [this](QWidget* old, QWidget* now) {
    if (old != now && ((old && isAncestorOf(old)) || (now && isAncestorOf(now)))) emit editingSessionEnded();
  });

  clearLayer();
}

LayerPropertyEditor::~LayerPropertyEditor() = default;

// One row per argument key of every registered kind, its widget chosen by the argument's type.
void LayerPropertyEditor::addRows() {
  for (const LayerKindInfo& kind : layerKinds()) {
    for (const LayerArg& a : kind.args) {
      if (rowFor(a)) continue;
      auto row = std::make_unique<Row>();
      Row* r = row.get();
      r->key = a.key;
      r->type = a.type;
      const QString stem = objectStem(a.key);
      switch (a.type) {
        case ArgType::Int:
          r->spins[0] = makeSpin(this);
          r->spins[0]->setObjectName(stem + QLatin1String("Spin"));
          r->field = r->spins[0];
          break;
        case ArgType::IntPair:
          r->spins[0] = makeSpin(this);
          r->spins[0]->setObjectName(stem + QLatin1String("HSpin"));
          r->spins[1] = makeSpin(this);
          r->spins[1]->setObjectName(stem + QLatin1String("WSpin"));
          r->field = pairRow(r->spins[0], r->spins[1], this);
          break;
        case ArgType::Number:
          // Decades (learning-rate-like ranges, BatchNormalization's epsilon from 1e-12) step 1-2-5;
          // fill_value (-1e6 to 1e6) is typed, not stepped by decades.
          if ((a.hi - a.lo > kWideRange && a.lo >= 0) || (a.lo > 0 && a.hi / a.lo >= 1e3)) {
            r->number = new ScientificSpinBox(this);
          } else {
            r->number = new QDoubleSpinBox(this);
            r->number->setDecimals(kNarrowDecimals);
            r->number->setSingleStep(0.05);
            r->number->setKeyboardTracking(false);
          }
          r->number->setObjectName(stem + QLatin1String("Spin"));
          r->field = r->number;
          break;
        case ArgType::Range:
          r->bounds[0] = makeBound(this);
          r->bounds[0]->setObjectName(stem + QLatin1String("LowerSpin"));
          r->bounds[1] = makeBound(this);
          r->bounds[1]->setObjectName(stem + QLatin1String("UpperSpin"));
          r->field = rangeRow(r->bounds[0], r->bounds[1], this);
          break;
        case ArgType::Bool:
          r->check = new QCheckBox(QString::fromStdString(a.key), this);
          r->check->setObjectName(stem + QLatin1String("Check"));
          r->field = r->check;
          break;
        case ArgType::Choice:
        case ArgType::Activation:
        case ArgType::Initializer:
          r->combo = new QComboBox(this);
          r->combo->setObjectName(stem + QLatin1String("Combo"));
          r->field = r->combo;
          break;
      }
      r->label = new QLabel(labelText(a.key, a.type), this);
      if (r->label->text() != QString::fromStdString(a.key) && a.type != ArgType::Bool)
        r->label->setToolTip(QString::fromStdString(a.key));  // a shortened label says the full key
      r->label->hide();
      r->field->hide();

      for (int part = 0; part < 2; ++part) {
        if (QSpinBox* spin = r->spins[part]) {
          connect(spin, &QSpinBox::valueChanged, this, [this, r, part] { editArg(r, part); });
          connect(spin, &QSpinBox::editingFinished, this, &LayerPropertyEditor::editingSessionEnded);
        }
      }
      for (int part = 0; part < 2; ++part) {
        if (QDoubleSpinBox* bound = r->bounds[part]) {
          connect(bound, &QDoubleSpinBox::valueChanged, this, [this, r, part] { editArg(r, part); });
          connect(bound, &QDoubleSpinBox::editingFinished, this, &LayerPropertyEditor::editingSessionEnded);
        }
      }
      if (r->number) {
        connect(r->number, &QDoubleSpinBox::valueChanged, this, [this, r] { editArg(r, 0); });
        connect(r->number, &QDoubleSpinBox::editingFinished, this, &LayerPropertyEditor::editingSessionEnded);
      }
      if (r->check) connect(r->check, &QCheckBox::toggled, this, [this, r] { editArg(r, 0); });
      if (r->combo) connect(r->combo, &QComboBox::currentIndexChanged, this, [this, r] { editArg(r, 0); });
      m_rows.push_back(std::move(row));
    }
  }
}

LayerPropertyEditor::Row* LayerPropertyEditor::rowFor(const LayerArg& arg) const {
  for (const auto& r : m_rows)
    if (r->key == arg.key && r->type == arg.type) return r.get();
  return nullptr;
}

QString LayerPropertyEditor::fieldName(LayerKind kind, Field field) {
  if (field == NameField) return QStringLiteral("name");
  const std::vector<LayerArg>& args = layerKindInfo(kind).args;
  if (field < 0 || size_t(field) >= args.size()) return {};
  return QString::fromStdString(args[size_t(field)].key);
}

QString LayerPropertyEditor::nameError() const { return m_nameError->text(); }

void LayerPropertyEditor::setLayer(const LayerSpec& layer, const QString& autoName, const QStringList& otherNames) {
  m_updating = true;
  m_layer = layer;
  m_otherNames = otherNames;
  m_hasLayer = true;
  showNameError(QString());
  m_title->setText(tr("%1 (%2)").arg(layer.name.empty() ? autoName : QString::fromStdString(layer.name),
                                     QString::fromLatin1(layerKindName(layer.kind))));
  if (m_name->text() != QString::fromStdString(layer.name) || !m_name->hasFocus())
    m_name->setText(QString::fromStdString(layer.name));
  m_name->setPlaceholderText(autoName);
  placeRows();
  showValues();
  updateEnabled();
  m_updating = false;
}

void LayerPropertyEditor::clearLayer() {
  m_hasLayer = false;
  m_title->clear();
  m_nameError->clear();
  placeRows();
}

// The shown kind's arguments in the form, in the registry's order, each widget set to the
// argument's range and choices. Rows stay while layers of one kind follow each other (a field
// keeps its focus while its edit comes back through setLayer).
void LayerPropertyEditor::placeRows() {
  const bool any = m_hasLayer;
  m_hint->setVisible(!any);
  m_title->setVisible(any);
  m_form->setRowVisible(m_name, any);
  m_form->setRowVisible(m_nameError, any && !m_nameError->text().isEmpty());
  if (m_placed == any && (!any || m_placedKind == m_layer.kind)) return;

  const bool blocked = m_updating;
  m_updating = true;  // new ranges and choices are no edits
  for (const auto& r : m_rows) {
    if (!r->arg) continue;
    const QFormLayout::TakeRowResult taken = m_form->takeRow(r->field);
    delete taken.labelItem;  // the layout items, not the widgets
    delete taken.fieldItem;
    r->label->hide();
    r->field->hide();
    r->arg = nullptr;
    r->index = -1;
  }
  m_placed = any;
  m_placedKind = m_layer.kind;
  if (!any) {
    m_updating = blocked;
    return;
  }

  const std::vector<LayerArg>& args = layerKindInfo(m_layer.kind).args;
  QWidget* previous = m_name;
  for (size_t i = 0; i < args.size(); ++i) {
    const LayerArg& a = args[i];
    Row* r = rowFor(a);
    r->arg = &a;
    r->index = int(i);
    // An automatic value (nullable) is the minimum, shown as its text ("pool").
    const auto automaticInt = [&](int part) {
      if (!a.nullable || !a.readDefault) return int(a.lo);
      if (const auto* v = std::get_if<int>(&*a.readDefault)) return *v;
      if (const auto* p = std::get_if<std::pair<int, int>>(&*a.readDefault)) return part == 0 ? p->first : p->second;
      return int(a.lo);
    };
    const QString automatic = a.nullable ? QString::fromStdString(a.automaticText) : QString();
    const Tips tips = tipsFor(a);
    r->field->setToolTip(tips.row);
    switch (a.type) {
      case ArgType::Int:
      case ArgType::IntPair:
        for (int part = 0; part < (a.type == ArgType::IntPair ? 2 : 1); ++part) {
          r->spins[part]->setRange(automaticInt(part), int(a.hi));
          r->spins[part]->setSpecialValueText(automatic);
          if (a.type == ArgType::IntPair) r->spins[part]->setToolTip(part == 0 ? tips.first : tips.second);
        }
        break;
      case ArgType::Number: {
        double lo = a.lo;
        if (a.nullable && a.readDefault)
          if (const auto* v = std::get_if<double>(&*a.readDefault)) lo = *v;
        const bool narrow = r->number->decimals() == kNarrowDecimals;
        const double hi = !a.hiOpen ? a.hi
                          : narrow  ? a.hi - std::pow(10.0, -kNarrowDecimals)
                                    : std::nextafter(a.hi, a.lo);
        r->number->setRange(lo, hi);
        r->number->setSpecialValueText(automatic);
        break;
      }
      case ArgType::Range:
        // A nullable factor's automatic value sits one step below the range, shown as its text
        // ("height"): one arrow step up leaves it.
        for (int part = 0; part < 2; ++part) {
          r->bounds[part]->setRange(a.nullable ? a.lo - r->bounds[part]->singleStep() : a.lo, a.hi);
          r->bounds[part]->setSpecialValueText(automatic);
          r->bounds[part]->setToolTip(part == 0 ? tips.first : tips.second);
        }
        break;
      case ArgType::Bool:
        break;
      case ArgType::Choice:
      case ArgType::Activation:
      case ArgType::Initializer: {
        r->combo->clear();
        if (a.nullable && a.readDefault)
          if (const auto* v = std::get_if<std::string>(&*a.readDefault))
            r->combo->addItem(automatic, QString::fromStdString(*v));
        for (const QString& choice : choicesOf(a)) r->combo->addItem(choice, choice);
        break;
      }
    }
    m_form->insertRow(1 + int(i), r->label, r->field);
    r->label->show();
    r->field->show();
    for (QWidget* w : r->focusWidgets()) {
      setTabOrder(previous, w);
      previous = w;
    }
  }
  m_updating = blocked;
}

// Each shown argument's value, as LayerArg::get reads it from the layer.
void LayerPropertyEditor::showValues() {
  for (const auto& r : m_rows) {
    if (!r->arg) continue;
    const ArgValue v = r->arg->get(m_layer);
    switch (r->type) {
      case ArgType::Int:
        r->spins[0]->setValue(std::get<int>(v));
        break;
      case ArgType::IntPair:
        r->spins[0]->setValue(std::get<std::pair<int, int>>(v).first);
        r->spins[1]->setValue(std::get<std::pair<int, int>>(v).second);
        break;
      case ArgType::Number:
        r->number->setValue(std::get<double>(v));
        break;
      case ArgType::Bool:
        r->check->setChecked(std::get<bool>(v));
        break;
      case ArgType::Range: {
        const FactorRange f = std::get<FactorRange>(v);
        const bool automatic = r->arg->nullable && f == kAutomaticRange;
        r->bounds[0]->setValue(automatic ? r->bounds[0]->minimum() : f.lower);
        r->bounds[1]->setValue(automatic ? r->bounds[1]->minimum() : f.upper);
        break;
      }
      case ArgType::Choice:
      case ArgType::Activation:
      case ArgType::Initializer:
        showComboValue(r->combo, std::get<std::string>(v));
        break;
    }
  }
}

// A bias initializer means nothing without a bias.
void LayerPropertyEditor::updateEnabled() {
  const LayerArg* useBias = m_hasLayer ? layerKindInfo(m_layer.kind).arg("use_bias") : nullptr;
  const bool bias = !useBias || std::get<bool>(useBias->get(m_layer));
  for (const auto& r : m_rows)
    if (r->key == "bias_initializer") r->field->setEnabled(bias);
}

// A row's widget changed: its argument (only that one; `part`: which of a pair's two numbers) set
// to the shown value with LayerArg::set.
void LayerPropertyEditor::editArg(Row* r, int part) {
  if (m_updating || !m_hasLayer || !r->arg) return;
  const LayerArg& a = *r->arg;
  ArgValue value;
  switch (r->type) {
    case ArgType::Int:
      value = r->spins[0]->value();
      break;
    case ArgType::IntPair: {
      // The other number as the layer has it, even where its spin box shows it limited.
      auto pair = std::get<std::pair<int, int>>(a.get(m_layer));
      (part == 0 ? pair.first : pair.second) = r->spins[part]->value();
      value = pair;
      break;
    }
    case ArgType::Number:
      value = r->number->value();
      // As a narrow spin box shows it (its arrows step in unrounded sums: 0.1 + 0.05).
      if (r->number->decimals() == kNarrowDecimals) value = std::round(r->number->value() * 100.0) / 100.0;
      break;
    case ArgType::Bool:
      value = r->check->isChecked();
      break;
    case ArgType::Range: {
      // Keras keeps (lower, upper) sorted; a single number f is (-f, f). A nullable factor set to
      // its automatic text is automatic; edited from automatic, it starts as (-|v|, |v|).
      // As the spin box shows it (its arrows step in unrounded sums: 0.05 + 0.01).
      const double scale = std::pow(10.0, r->bounds[part]->decimals());
      const double v = std::round(r->bounds[part]->value() * scale) / scale;
      FactorRange f = std::get<FactorRange>(a.get(m_layer));
      if (a.nullable && v < a.lo) {
        value = kAutomaticRange;
        break;
      }
      if (a.nullable && f == kAutomaticRange) f = {-std::abs(v), std::abs(v)};
      (part == 0 ? f.lower : f.upper) = v;
      if (f.lower > f.upper) std::swap(f.lower, f.upper);
      value = f;
      break;
    }
    case ArgType::Choice:
    case ArgType::Activation:
    case ArgType::Initializer: {
      const QVariant data = r->combo->currentData();
      value = (data.isValid() ? data.toString() : r->combo->currentText()).toStdString();
      break;
    }
  }
  edit(Field(r->index), [&](LayerSpec& l) { a.set(l, value); });
}

template <typename Apply>
void LayerPropertyEditor::edit(Field field, Apply apply) {
  if (m_updating || !m_hasLayer) return;
  // Only the changed argument: the others keep the layer's values even where a widget shows them
  // rounded or limited.
  LayerSpec l = m_layer;
  apply(l);
  if (l == m_layer) return;
  m_layer = l;
  updateEnabled();
  emit layerEdited(l, field);
}

void LayerPropertyEditor::editName() {
  if (m_updating || !m_hasLayer) return;
  const QString name = m_name->text().trimmed();
  if (name.toStdString() == m_layer.name) return;
  if (!name.isEmpty() && m_otherNames.contains(name)) {
    // Keras refuses two layers of one name, and so would loading and saving: keep the old one.
    {
      const QSignalBlocker block(m_name);
      m_name->setText(QString::fromStdString(m_layer.name));
    }
    showNameError(tr("Another layer is already called '%1': the name was not changed.").arg(name));
    return;
  }
  showNameError(QString());
  edit(NameField, [&](LayerSpec& l) { l.name = name.toStdString(); });
  emit editingSessionEnded();
}

void LayerPropertyEditor::showNameError(const QString& text) {
  m_nameError->setText(text);
  m_form->setRowVisible(m_nameError, m_hasLayer && !text.isEmpty());
}

}  // namespace dl
