import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { tfjs } from './backend';
import type { TransferModel } from './model';

/** Layers whose output depends on `training` beyond BatchNorm (which freezing locks). */
const TRAINING_DEPENDENT = /Dropout|GaussianNoise/;

/**
 * Feature extraction without the gradient tape. Under tf.variableGrads (and its tf.tidy) tfjs
 * keeps every intermediate tensor of the forward pass until the step ends, also those of frozen
 * layers no gradient flows through: one 224² EfficientNet-Lite0 step with the whole base frozen
 * held 1.76 GiB of tensors for 8 images, against 0.13 GiB for the same images in inference,
 * where tfjs-layers' executor frees each intermediate once its consumers ran. When the whole
 * base is frozen its output is therefore computed by such an inference pass, and only the head
 * runs under the tape. The values are the same: frozen layers run in inference mode either way
 * (frozen BatchNorm is locked to it, see ./freeze), and the base holds no dropout or noise.
 */
export class FrozenBaseForward {
  private readonly features: LayersModel;

  private constructor(private readonly tm: TransferModel) {
    const headInput = tm.headLayers[0]!.input as SymbolicTensor;
    this.features = tfjs().model({ inputs: tm.model.inputs, outputs: headInput });
  }

  /** The fast path for `tm`, or undefined when its base has training-dependent layers. */
  static for(tm: TransferModel): FrozenBaseForward | undefined {
    if (tm.headLayers.length === 0 || tm.model.outputs.length !== 1) return undefined;
    // Only a single chain of head layers (each fed by the one before) can be replayed in order.
    const chain = tm.headLayers.every(
      (l, i) =>
        l.inboundNodes.length === 1 && (i === 0 || l.input === tm.headLayers[i - 1]!.output),
    );
    if (!chain || tm.headLayers.at(-1)!.output !== tm.model.outputs[0]) return undefined;
    if (tm.baseLayers.some((l) => TRAINING_DEPENDENT.test(l.getClassName()))) return undefined;
    return new FrozenBaseForward(tm);
  }

  /** The frozen base's output for a batch (an inference pass; the caller owns the result). */
  baseOutput(xs: Tensor): Tensor {
    return this.features.predict(xs, { batchSize: xs.shape[0] }) as Tensor;
  }

  /** The head in training mode on the base's output: what runs under the gradient tape. */
  head(baseOutput: Tensor): Tensor {
    let y = baseOutput;
    for (const layer of this.tm.headLayers) y = layer.apply(y, { training: true }) as Tensor;
    return y;
  }
}
