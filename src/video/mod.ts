/**
 * Real time: emotion over time from video files, photos and a live webcam
 * page. face-api's TinyFaceDetector (as plain tfjs ops), run every 0.2 s or
 * on a scene or face change with boxes kept in between, crops registered
 * like the training faces, a run's model as the classifier, an IoU tracker,
 * four smoothers with a flicker measure, ffmpeg decoding, the video-run
 * folder, and the live page's server.
 *
 * @module
 */
export { annotateVideo, type AnnotateOptions, faceOverlaySvg } from "./annotate_video.ts";
export { bundleLivePage } from "./bundle_live_page.ts";
export { classifyFaces, type EmotionClassifier } from "./classify_faces.ts";
export { cropFacesFromRgb } from "./crop_faces_from_rgb.ts";
export { decodeVideo, type DecodeVideoOptions, FFMPEG_INSTALL, type FfmpegPaths, probeVideo, type VideoFrame, type VideoInfo } from "./decode_video.ts";
export { loadEmotionClassifier } from "./emotion_classifier.ts";
export { type DetectedEvaluation, type DetectedSplit, evaluateDetected } from "./evaluate_detected.ts";
export { cropFaces, type CropOptions, type CropRegion, FACE_REGISTRATION, faceCropRegion } from "./face_crop.ts";
export { FaceTracker, faceTracker, type FaceTrackerOptions } from "./face_tracker.ts";
export { annotatePhoto, labelPhotoFaces, type Photo, type PhotoFace, PHOTO_INPUT_SIZE, type PhotoResult, readPhoto } from "./label_photo_faces.ts";
export { latestModelRun } from "./latest_model_run.ts";
export type { LiveConfig } from "./live_config.ts";
export { type LiveServer, type LiveServerOptions, startLiveServer } from "./live_server.ts";
export { FACE_API_MODEL_DIR, FACE_DETECTOR_MODEL, type FaceDetector, loadFaceDetector } from "./load_face_detector.ts";
export { framesCsv, type FrameRow } from "./frame_row.ts";
export { frameStrip, type FrameStripOptions } from "./frame_strip.ts";
export { type RedetectOptions, type RedetectReason, RedetectRule, redetectRule, type RgbFrame } from "./redetect_rule.ts";
export { runVideo, type RunVideoOptions, type TrackSummary, type VideoSummary } from "./run_video.ts";
export {
  DEFAULT_SMOOTHER,
  flickerStats,
  type FlickerStats,
  parseSmoother,
  SMOOTHERS,
  type SmootherName,
  smoothLabels,
  type SmoothOptions,
} from "./smooth_labels.ts";
export { smoothersFigure } from "./smoothers_figure.ts";
export { videoTimelineFigure } from "./timeline_figure.ts";
export {
  boxIou,
  type DetectOptions,
  detectFaces,
  FACE_DETECTOR_WEIGHT_NAMES,
  type FaceBox,
  type FaceDetectorWeights,
  resolveDetectOptions,
} from "./tiny_face_detector.ts";
export { smootherTable, type SummaryTable, trackTable } from "./video_summary_tables.ts";
export { createVideoRun, VIDEO_RUN_FILES, VIDEOS_FOLDER, writeVideoRunFile } from "./video_run_store.ts";
