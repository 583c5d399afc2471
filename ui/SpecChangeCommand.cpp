// An undoable architecture change of the model builder.

#include "SpecChangeCommand.h"

#include "ModelBuilder.h"

namespace dl {

namespace {
constexpr int kMergeableId = 0x444c;  // any fixed id; mergeWith() compares the keys
}

SpecChangeCommand::SpecChangeCommand(ModelBuilder* builder, const ModelSpec& before, const ModelSpec& after,
                                     int rowBefore, int rowAfter, const QString& text, int mergeKey, bool withTraining)
    : QUndoCommand(text),
      m_builder(builder),
      m_before(before),
      m_after(after),
      m_rowBefore(rowBefore),
      m_rowAfter(rowAfter),
      m_mergeKey(mergeKey),
      m_withTraining(withTraining) {}

void SpecChangeCommand::undo() { m_builder->applyArchitecture(m_before, m_rowBefore, m_withTraining); }

void SpecChangeCommand::redo() { m_builder->applyArchitecture(m_after, m_rowAfter, m_withTraining); }

int SpecChangeCommand::id() const { return m_mergeKey >= 0 ? kMergeableId : -1; }

bool SpecChangeCommand::mergeWith(const QUndoCommand* other) {
  const auto* next = static_cast<const SpecChangeCommand*>(other);  // same id: same class
  if (next->m_mergeKey != m_mergeKey || next->m_builder != m_builder || next->m_withTraining || m_withTraining)
    return false;
  m_after = next->m_after;
  m_rowAfter = next->m_rowAfter;
  setObsolete(m_after.inputShape == m_before.inputShape && m_after.layers == m_before.layers &&
              m_after.name == m_before.name);
  return true;
}

}  // namespace dl
