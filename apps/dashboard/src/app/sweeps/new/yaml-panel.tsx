'use client';

/** The spec as YAML (editable: the form follows) and what the transfer-learning knobs mean. */
export function YamlPanel({
  yaml,
  yamlError,
  onYaml,
}: {
  yaml: string;
  yamlError: string | null;
  onYaml: (text: string) => void;
}) {
  return (
    <aside className="side">
      <div className="panel">
        <label htmlFor="spec-yaml">
          <h2>YAML</h2>
        </label>
        <p className="hint">Edit either side; the other follows. Same file the CLI launches.</p>
        <textarea
          id="spec-yaml"
          className="yaml"
          spellCheck={false}
          rows={28}
          value={yaml}
          aria-invalid={yamlError !== null}
          aria-describedby={yamlError ? 'yaml-err' : undefined}
          onChange={(e) => onYaml(e.target.value)}
        />
        {yamlError && (
          <span className="field-error" id="yaml-err" role="alert">
            YAML: {yamlError}
          </span>
        )}
      </div>
      <div className="panel knobs">
        <h2>What do these knobs mean?</h2>
        <h3>Freeze depth</h3>
        <p>
          How many of the base model&apos;s layers keep their pretrained weights during training.
          Freeze more when the new data is small or close to the source task; freeze less when it
          differs a lot.
        </p>
        <h3>Discriminative learning rate</h3>
        <p>
          The new head (<code>headLr</code>) and the unfrozen base layers (<code>baseLr</code>)
          learn at different rates. The base usually wants a rate 10–100× smaller so fine-tuning
          does not erase what it learned.
        </p>
        <h3>Augmentation</h3>
        <p>
          Random flips, rotations, zooms and noise applied to training images only, so the model
          sees more variety than the dataset holds. It helps most on small datasets and costs some
          training speed.
        </p>
      </div>
    </aside>
  );
}
