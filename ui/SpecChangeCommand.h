#pragma once
// One undoable edit of the model builder's architecture (input shape and layers): every change
// the builder makes - add, delete, duplicate, move, edit a property, preset, load - is one of
// these, holding the architecture before and after and which layer was selected. The training
// settings are not part of it: undoing a layer edit never changes the optimizer.
//
// Successive edits of the same property of the same layer (a spin box's arrow held down, a value
// typed digit by digit) merge into one step; a merge that returns to the start drops the step.

#include "nn/ModelSpec.h"

#include <QUndoCommand>

namespace dl {

class ModelBuilder;

class SpecChangeCommand : public QUndoCommand {
 public:
  // mergeKey < 0: never merges; otherwise merges with the previous command of the same key.
  SpecChangeCommand(ModelBuilder* builder, const ModelSpec& before, const ModelSpec& after, int rowBefore,
                    int rowAfter, const QString& text, int mergeKey = -1);

  void undo() override;
  void redo() override;
  int id() const override;
  bool mergeWith(const QUndoCommand* other) override;

 private:
  ModelBuilder* m_builder = nullptr;
  ModelSpec m_before;
  ModelSpec m_after;
  int m_rowBefore = -1;
  int m_rowAfter = -1;
  int m_mergeKey = -1;
};

}  // namespace dl
