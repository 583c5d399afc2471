#pragma once
// One undoable edit of the model builder's architecture (input shape and layers): every change
// the builder makes - add, delete, duplicate, move, edit a property, preset, load - is one of
// these, holding the architecture before and after and which layer was selected. Only a command
// that replaces the whole model (a preset, a loaded or opened file: withTraining) also restores
// the training settings that came with it; undoing a layer edit never changes the optimizer.
//
// Successive edits of one argument in one editing session (a spin box's arrow held down, values
// committed while the field keeps focus) share a merge key and merge into one step; the builder
// gives each session its own key. A merge that returns to the start drops the step.

#include "nn/ModelSpec.h"

#include <QUndoCommand>

namespace dl {

class ModelBuilder;

class SpecChangeCommand : public QUndoCommand {
 public:
  // mergeKey < 0: never merges; otherwise merges with the previous command of the same key.
  // withTraining: undo/redo also restore before's/after's training settings.
  SpecChangeCommand(ModelBuilder* builder, const ModelSpec& before, const ModelSpec& after, int rowBefore, int rowAfter,
                    const QString& text, int mergeKey = -1, bool withTraining = false);

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
  bool m_withTraining = false;
};

}  // namespace dl
