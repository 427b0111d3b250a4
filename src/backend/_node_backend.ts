/**
 * The part of tfjs-node's backend object that the kernels registered here
 * use: its binding's attribute type codes and its op runners.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";

/** One attribute of a TensorFlow op, as tfjs-node's binding takes it. */
export interface NodeOpAttr {
  name: string;
  type: number;
  value: unknown;
}

/** tfjs-node's NodeJSKernelBackend, as far as this project calls it. */
export interface NodeBackend {
  binding: {
    TF_ATTR_TYPE: number;
    TF_ATTR_STRING: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_BOOL: number;
    TF_FLOAT: number;
  };
  executeSingleOutput(name: string, attrs: NodeOpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: NodeOpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}
